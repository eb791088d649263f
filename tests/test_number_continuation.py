"""Issue 16 item 8: a new application continues after the highest number of its year."""

import datetime

import pytest

D = datetime.date


@pytest.mark.django_db
def test_new_number_follows_the_highest_of_the_year(make_application):
    for sequence in range(901, 907):
        make_application(number=f"学府街道〔2021〕{sequence}号")
    assert make_application().number == "学府街道〔2021〕907号"


@pytest.mark.django_db
def test_gaps_below_the_highest_number_are_not_filled(make_application):
    make_application(number="学府街道〔2021〕5号")
    make_application()
    assert [make_application().number] == ["学府街道〔2021〕7号"]


@pytest.mark.django_db
def test_other_years_and_free_text_numbers_do_not_count(make_application):
    make_application(number="学府街道〔2020〕950号", received_on=D(2020, 5, 6))
    make_application(number="学府街道〔2021〕补登3号")
    assert make_application().number == "学府街道〔2021〕1号"
