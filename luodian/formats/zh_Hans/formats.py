"""Chinese formats, with one change to Django's: the first input format (the one a form renders its value
with) is ISO, which a browser's date and datetime-local inputs can show. Django's zh_Hans list starts with
"%Y/%m/%d", so a prefilled date input (the move-in date) showed empty in the Chinese UI. Every format
Django accepts is still accepted when typed."""
from django.conf.locale.zh_Hans import formats as _django

DATE_FORMAT = _django.DATE_FORMAT
TIME_FORMAT = _django.TIME_FORMAT
DATETIME_FORMAT = _django.DATETIME_FORMAT
YEAR_MONTH_FORMAT = _django.YEAR_MONTH_FORMAT
MONTH_DAY_FORMAT = _django.MONTH_DAY_FORMAT
SHORT_DATE_FORMAT = _django.SHORT_DATE_FORMAT
SHORT_DATETIME_FORMAT = _django.SHORT_DATETIME_FORMAT
FIRST_DAY_OF_WEEK = _django.FIRST_DAY_OF_WEEK
DECIMAL_SEPARATOR = _django.DECIMAL_SEPARATOR
THOUSAND_SEPARATOR = _django.THOUSAND_SEPARATOR
NUMBER_GROUPING = _django.NUMBER_GROUPING
TIME_INPUT_FORMATS = ["%H:%M", *[f for f in _django.TIME_INPUT_FORMATS if f != "%H:%M"]]
DATE_INPUT_FORMATS = ["%Y-%m-%d", *[f for f in _django.DATE_INPUT_FORMATS if f != "%Y-%m-%d"]]
DATETIME_INPUT_FORMATS = ["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M", *[
    f for f in _django.DATETIME_INPUT_FORMATS if f != "%Y-%m-%d %H:%M"]]
