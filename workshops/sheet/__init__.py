"""The offline scoring sheet, in one place: `write` (the download's rows and its CSV/XLSX
files), `parse` (an upload's rows, structure only), `resolve` (each row's risk, factor, level
and organisation), `apply` (the all-or-nothing import) and `pages` (download and upload)."""
