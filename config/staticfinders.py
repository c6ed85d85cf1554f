"""A static-files finder that serves plotly.min.js straight from the installed plotly package.

Pointing STATICFILES_DIRS at plotly's package_data folder would also collect 13 MB of widget
bundles and data sets; this finder exposes the one file the dashboards need, as
``vendor/plotly.min.js``, so it is never copied into the repository.
"""

from pathlib import Path

import plotly
from django.contrib.staticfiles.finders import BaseFinder
from django.core.files.storage import FileSystemStorage

PLOTLY_DIR = Path(plotly.__file__).resolve().parent / "package_data"
PLOTLY_FILE = "plotly.min.js"
PREFIX = "vendor"


class PlotlyFinder(BaseFinder):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.storage = FileSystemStorage(location=PLOTLY_DIR)
        self.storage.prefix = PREFIX

    def check(self, **kwargs):
        return []

    def find(self, path, find_all=False):
        if path == f"{PREFIX}/{PLOTLY_FILE}":
            match = str(PLOTLY_DIR / PLOTLY_FILE)
            return [match] if find_all else match
        # Not None: django.contrib.staticfiles.finders.find would report [None] as found.
        return []

    def list(self, ignore_patterns):
        yield PLOTLY_FILE, self.storage
