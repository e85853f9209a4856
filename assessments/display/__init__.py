"""The display layer: how numbers and charts look, on the evidence page, the report pages and
in every export alike.

- ``numbers``: ``format_number`` and the text the template filters show (thousands separators,
  a true minus sign, "–" for a figure not known). The filters in
  ``assessments/templatetags/workbench.py`` are one-line wrappers around it.
- ``svg``: what every chart shares (palette, escaping, text layout, the root element).
- ``bars``, ``lines``, ``rating_grid``: horizontal and diverging bars, line charts, and the
  harm-by-likelihood grid of rated risks.
- ``evidence_charts``: the neighbourhood, seasonal and trend charts, built once for the
  evidence page and the report (same titles, same bars).

Every chart function returns a complete ``<svg>`` element as a string that is safe to embed
in a page (mark it safe in the template): all text passes through ``html.escape``.

Conventions shared by all charts:

- The root is ``<svg role="img" aria-labelledby="ID-title ID-desc">`` whose first children are
  ``<title>`` (the chart title) and ``<desc>`` (a one-paragraph summary of the data).
- ``chart_id`` sets ID; by default it is derived from the title and data, so it is stable
  between renders. Pass your own when two identical charts share a page.
- Sizing uses ``viewBox`` with ``width``/``height`` attributes; the page's CSS (``.chart svg``)
  scales the chart down in narrow columns, and it prints at its natural proportions.
- Every bar and point carries a text label with its value; colour is never the only signal.
- Empty input renders a small chart that says "No data" instead of raising.

Text alternatives: each chart has a ``*_summary`` companion that returns the sentence used in
``<desc>``; callers can show it in a caption. The full figures belong in a data table that the
caller renders beside the chart (for example in ``<details>``); these functions do not build it.

The heat map's API is in ``rating_grid``.
"""
