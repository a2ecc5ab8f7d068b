package io.segmentramen.ramen;

/** {@code RAMEN_TRANSPORT} (docs/CONTRACT.md §5): a JSON POST, or the importer's {@code GET ?json_payload=}. */
public enum Transport { json, query }
