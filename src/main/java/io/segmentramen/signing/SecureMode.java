package io.segmentramen.signing;

/** {@code RAMEN_SECURE_MODE} (SPEC §5): whether payloads with a user id are signed, and whether they must be. */
public enum SecureMode { off, optional, required }
