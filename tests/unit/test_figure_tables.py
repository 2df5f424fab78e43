"""Tables beside figures: columns picked and named for people in one place."""

import pandas as pd

from app_pages.figures.tables import labelled


def test_labelled_keeps_named_columns_in_label_order_and_renames_them():
    frame = pd.DataFrame({"b": [1, 2], "a": [3, 4], "extra": [5, 6]}, index=[7, 9])
    out = labelled(frame, {"a": "First", "missing": "Never", "b": "Second"})
    assert list(out.columns) == ["First", "Second"]
    assert out.index.tolist() == [0, 1]
    assert out["First"].tolist() == [3, 4] and out["Second"].tolist() == [1, 2]
    assert list(frame.columns) == ["b", "a", "extra"]  # the input is not changed
