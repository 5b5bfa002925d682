package org.mafstream.model.decode;

/**
 * One entity mention: its type, its text, its UTF-16 offsets [charStart, charEnd) into the
 * post, its words [wordStart, wordEnd), and its confidence (the mean CRF marginal of its words'
 * tags), or null where no marginals were computed.
 */
public record EntitySpan(String type, String text, int charStart, int charEnd, int wordStart, int wordEnd,
                         Double confidence) {}
