//! validate refuses first what batch and run refuse; variants are applied without re-reading the file.
