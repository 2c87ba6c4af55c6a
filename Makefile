# Memory management in C, learned by fixing real bugs under Valgrind.
# `make help` lists the targets and the exercises.

SHELL := /bin/bash
CC ?= cc
EX ?=
export CC
# DETECTOR=asan grades with AddressSanitizer instead of Valgrind (see README).
ifdef DETECTOR
export GRADER_DETECTOR := $(DETECTOR)
endif

GRADE := grader/grade

.DEFAULT_GOAL := progress
.PHONY: help progress check watch reset test bench list hint index bundle class clean

help: ## this help, and the exercises
	@echo "Targets:"
	@awk -F':.*## ' '/^[a-z-]+:.*## / { printf "  make %-22s %s\n", $$1, $$2 }' Makefile
	@printf '  make %-22s %s\n' "check EX=NAME" "grade one exercise (NAME as listed below, or its folder name)" \
		"check CC=clang" "grade with clang instead of the default compiler" \
		"check DETECTOR=asan" "grade with AddressSanitizer instead of Valgrind"
	@echo
	@echo "Exercises:"
	@$(GRADE) list | sed 's/^/  /'

progress: ## what you have done, and the next exercise (the default target)
	@$(GRADE) progress

check: ## grade your exercises (all, or EX=...); V=1 adds Valgrind's own report
	@VERBOSE=$(V) $(GRADE) check $(if $(EX),"$(EX)")

watch: ## re-grade EX=... (or the exercise you edit) on every save
	@$(GRADE) watch $(if $(EX),"$(EX)")

reset: ## back up your EX=... and restore it as shipped
	@$(GRADE) reset "$(EX)"

test: ## workbook self-test: every exercise and solution, gcc and clang
	@$(GRADE) test

bench: ## how long grading takes, beside bare Valgrind on the same binaries
	@grader/lib/grading/bench

list: ## list the exercises and the bug each one has
	@$(GRADE) list

hint: ## show the hint of EX=...
	@$(GRADE) hint "$(EX)"

index: ## rewrite the exercise index in chapters/README.md from the specs
	@$(GRADE) index --write

bundle: ## instructors: the student bundle (no solutions) in .build/bundle, folder and tarball
	@$(GRADE) bundle

class: ## instructors: grade a class, SUBMISSIONS=folder (see README, "Class grading")
	@$(GRADE) class "$(SUBMISSIONS)" $(CLASS_FLAGS)

clean: ## remove build results (your sources are never touched)
	rm -rf .build
