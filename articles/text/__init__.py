"""Text as the newsroom stores it: Vietnamese-aware slugs and folding, the
story body's sanitising, amounts read and written the Vietnamese way, tags as
the desk types them. Pure functions of text; nothing here reads the database
but ``slugs.unique_slug``."""
