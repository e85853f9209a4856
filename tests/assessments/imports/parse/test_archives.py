"""Refusing zip bombs (and locked archives) before anything is decompressed."""

import zipfile

from ..helpers import MB


def test_zip_bomb_problems_reports_encrypted_members():
    from assessments.imports.parse.archives import zip_bomb_problems

    info = zipfile.ZipInfo("secret.csv")
    info.flag_bits |= 0x1
    info.file_size = info.compress_size = 10
    assert "password-protected" in zip_bomb_problems([info], max_total=MB)[0]
