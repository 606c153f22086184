//! A batch folder is locked while in use; a killed first write leaves a folder that --resume starts.
