<?xml version="1.0"?>
<!--
  Turns one Valgrind memcheck XML report (protocol 4) into tab-separated
  rows that grader/memcheck adds up. One row per fact:

    process  pid  ppid  tool  usercomment  protocolversion
    state    RUNNING|FINISHED
    signal   SIGNAME
    error    unique  kind  leakedbytes  leakedblocks  what  statuses-before
    frame    unique  stack-number  fn  file-path  line
             (unique "signal": the stack of the fatal signal, if any;
             "fdopen-N": where the Nth descriptor left open was opened)
    aux      unique  stack-number  auxwhat
    count    unique  count  statuses-before
    statuses N

  statuses-before counts the status elements before the row's element:
  Valgrind writes its last status (FINISHED) when the program has ended,
  then the leaks and the error counts, so those must follow every status.

  stack-number 1 is where the error happened; 2 and 3 are the auxiliary
  stacks (for a use after free: where the block was freed, then where it
  was allocated). Tabs and newlines inside text are folded to spaces.
-->
<xsl:stylesheet version="1.0" xmlns:xsl="http://www.w3.org/1999/XSL/Transform">
  <xsl:output method="text" encoding="UTF-8"/>
  <xsl:strip-space elements="*"/>

  <xsl:variable name="tab" select="'&#9;'"/>
  <xsl:variable name="nl" select="'&#10;'"/>

  <xsl:template name="clean">
    <xsl:param name="text"/>
    <xsl:value-of select="normalize-space(translate($text, '&#9;&#10;&#13;', '   '))"/>
  </xsl:template>

  <xsl:template match="/">
    <xsl:apply-templates select="valgrindoutput"/>
  </xsl:template>

  <xsl:template match="valgrindoutput">
    <xsl:value-of select="concat('process', $tab, pid, $tab, ppid, $tab, tool, $tab)"/>
    <xsl:call-template name="clean">
      <xsl:with-param name="text" select="usercomment"/>
    </xsl:call-template>
    <xsl:value-of select="concat($tab, protocolversion, $nl)"/>
    <xsl:for-each select="status">
      <xsl:value-of select="concat('state', $tab, normalize-space(state), $nl)"/>
    </xsl:for-each>
    <xsl:for-each select="fatal_signal">
      <xsl:value-of select="concat('signal', $tab, normalize-space(signame), $nl)"/>
      <!-- Where the signal stopped it: frames of the stack named "signal". -->
      <xsl:for-each select="stack/frame">
        <xsl:value-of select="concat('frame', $tab, 'signal', $tab, 1, $tab, normalize-space(fn), $tab)"/>
        <xsl:if test="file">
          <xsl:value-of select="concat(dir, '/', file)"/>
        </xsl:if>
        <xsl:value-of select="concat($tab, normalize-space(line), $nl)"/>
      </xsl:for-each>
    </xsl:for-each>
    <!-- After the end, one bare stack per descriptor left open that the
         program opened (track-fds), in the order of the text log. -->
    <xsl:for-each select="stack">
      <xsl:variable name="n" select="position()"/>
      <xsl:for-each select="frame">
        <xsl:value-of select="concat('frame', $tab, 'fdopen-', $n, $tab, 1, $tab, normalize-space(fn), $tab)"/>
        <xsl:if test="file">
          <xsl:value-of select="concat(dir, '/', file)"/>
        </xsl:if>
        <xsl:value-of select="concat($tab, normalize-space(line), $nl)"/>
      </xsl:for-each>
    </xsl:for-each>
    <xsl:apply-templates select="error"/>
    <xsl:for-each select="errorcounts/pair">
      <xsl:value-of select="concat('count', $tab, normalize-space(unique), $tab, normalize-space(count), $tab,
        count(../preceding-sibling::status), $nl)"/>
    </xsl:for-each>
    <xsl:value-of select="concat('statuses', $tab, count(status), $nl)"/>
  </xsl:template>

  <xsl:template match="error">
    <xsl:variable name="unique" select="normalize-space(unique)"/>
    <xsl:value-of select="concat('error', $tab, $unique, $tab, normalize-space(kind), $tab)"/>
    <xsl:value-of select="concat(normalize-space(xwhat/leakedbytes), $tab, normalize-space(xwhat/leakedblocks), $tab)"/>
    <xsl:call-template name="clean">
      <xsl:with-param name="text" select="what | xwhat/text"/>
    </xsl:call-template>
    <xsl:value-of select="concat($tab, count(preceding-sibling::status), $nl)"/>
    <xsl:for-each select="stack">
      <xsl:variable name="n" select="position()"/>
      <xsl:for-each select="frame">
        <xsl:value-of select="concat('frame', $tab, $unique, $tab, $n, $tab, normalize-space(fn), $tab)"/>
        <xsl:if test="file">
          <xsl:value-of select="concat(dir, '/', file)"/>
        </xsl:if>
        <xsl:value-of select="concat($tab, normalize-space(line), $nl)"/>
      </xsl:for-each>
    </xsl:for-each>
    <!-- auxwhat/xauxwhat precede the stack they describe: number them 2, 3... -->
    <xsl:for-each select="auxwhat | xauxwhat">
      <xsl:value-of select="concat('aux', $tab, $unique, $tab, count(preceding-sibling::stack) + 1, $tab)"/>
      <xsl:call-template name="clean">
        <xsl:with-param name="text" select="self::auxwhat | text"/>
      </xsl:call-template>
      <xsl:value-of select="$nl"/>
    </xsl:for-each>
  </xsl:template>
</xsl:stylesheet>
