package io.segmentramen.signing;

/** {@code RAMEN_SECURE_MODE} (docs/CONTRACT.md §4): whether payloads with a user id are signed, and whether they must be. */
public enum SecureMode { off, optional, required }
