//! MSEL import is strict and export neutralises spreadsheet formulas; the round trip stays byte-identical.
