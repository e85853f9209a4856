"""Every size limit on an uploaded table, in one place.

A file within the upload limit must be answered in seconds and in bounded memory, however it
was made: rows are read as a stream (`files`), only as wide as the header, and each of these
bounds is refused with a message naming the row and column where it is crossed. None of them
is near what a partnership's real files need.
"""

from __future__ import annotations

#: Data rows in one table. England and Wales have about 35,700 LSOAs, so a national look-up
#: fits; a partnership's summary, population or register is far smaller.
MAX_ROWS = 100_000

#: Columns in a header. A table kind has a handful; other columns may come along (an export
#: with extra columns), up to this many.
MAX_COLUMNS = 1_000

#: Characters in one cell: Excel's own limit.
MAX_CELL_CHARS = 32_767

#: Characters in one CSV row, all its cells together: what keeps a row of a million short
#: cells (or a million commas) from becoming a million strings before its width is known.
MAX_ROW_CHARS = 4 * 1_048_576

#: Characters csv reads into one cell before giving up: almost always an unclosed quote.
FIELD_LIMIT = 1_048_576

#: Excel's own row limit; a workbook numbering a row beyond it is malformed.
MAX_SHEET_ROWS = 1_048_576

#: The most a workbook may expand to when unzipped, all its parts together.
MAX_WORKBOOK_UNCOMPRESSED = 500 * 1_048_576

#: XML elements read from a workbook (its cells, rows, shared strings, styles, …): each takes
#: Python a microsecond or two, so this bounds the time however the bytes are arranged. A
#: table of 100,000 rows of 10 filled cells holds about 4,000,000.
MAX_XML_ELEMENTS = 10_000_000

#: The most one part of a workbook may expand to, whatever its compressed size: a worksheet
#: (read as a stream, though expat holds a whole tag, attributes and all, at once; a table
#: of 100,000 rows of 10 cells is about 30 MB), and any other part (the shared strings and
#: the styles are read whole into memory).
MAX_WORKSHEET_PART = 50 * 1_048_576
MAX_OTHER_PART = 20 * 1_048_576

#: People in one bulk invitation file: a partnership has 20-40 organisations of a few people.
MAX_PEOPLE_ROWS = 2_000
