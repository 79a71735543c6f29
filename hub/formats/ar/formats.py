# Dates in the Arabic admin and site: the month by name, Western digits as everywhere else on the site
# ("6 ديسمبر 2026، 14:05"). Django's Arabic formats have no date-time format, so it fell back to "12/06/2026".
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y، H:i"
SHORT_DATE_FORMAT = "j F Y"
SHORT_DATETIME_FORMAT = "j F Y، H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
# Numbers: Western digits with a decimal point ("1.5 س", "20,000"), as the Arabic text of the site writes them;
# Django's Arabic formats put a comma for the decimal point and a full stop between thousands ("1,5").
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
