"""lib.labels: the one label normaliser and the nearest-official-label proposal."""

from lib.labels import edit_distance, label_key, nearest_label

OFFICIAL = ["1.属于国家秘密", "2.其他法律行政法规禁止公开", "3.危及“三安全一稳定”"]


def test_full_and_half_width_brackets_are_the_same_label():
    assert label_key("（二）部分公开") == label_key("(二)部分公开")


def test_spaces_and_line_breaks_inside_a_label_are_ignored():
    assert label_key("本年新收 政府信息\n公开申请数量") == label_key("本年新收政府信息公开申请数量")


def test_quotation_marks_of_any_kind_are_ignored():
    assert label_key('3.危及"三安全一稳定"') == label_key("3.危及“三安全一稳定”")


def test_numbering_with_a_chinese_comma_or_full_stop_reads_as_a_dot():
    assert label_key("2、其他法律行政法规禁止公开") == label_key("2.其他法律行政法规禁止公开")
    assert label_key("2．其他法律行政法规禁止公开") == label_key("2.其他法律行政法规禁止公开")
    assert label_key("3。1") == "3.1"


def test_empty_and_none_are_an_empty_key():
    assert label_key(None) == "" and label_key("  \n ") == ""


def test_edit_distance_counts_insertions_deletions_and_replacements():
    assert edit_distance("行政止公开", "行政法规禁止公开") == 3
    assert edit_distance("予以公开", "予以公开") == 0
    assert edit_distance("结果维持", "结果纠正") == 2


def test_the_misprinted_label_of_a_real_report_gets_the_right_proposal():
    assert nearest_label("2.其他法律行政止公开", OFFICIAL) == "2.其他法律行政法规禁止公开"


def test_a_label_far_from_every_official_label_gets_no_proposal():
    assert nearest_label("备注：本表由办公室填写", OFFICIAL) is None
    assert nearest_label("", OFFICIAL) is None
