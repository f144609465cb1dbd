"""The 24-hour hotline: the station's staff (the heads are station staff) take and log the calls and read the log;
the village committee's staff read it and file the cases handed to them; villagers do not see the log (it holds
other villagers' names and numbers). Another village's calls are a 404 (``get_object_or_404_for``)."""
from communities.policy import Rule

from .base import STATION, STATION_AND_STAFF

RULES: dict[str, Rule] = {
    # Logging a call, recording a call-back as done.
    "propertyservice.hotline.log": Rule(STATION, town=False),
    # The call log and each call's page.
    "propertyservice.hotline.view": Rule(STATION_AND_STAFF, town=False),
    # A caller's full number (the access is logged: communities.services.personal_data.reveal_value).
    "propertyservice.hotline.reveal_phone": Rule(STATION_AND_STAFF, town=False),
    # Filing the case of a call from its page (a call handed over without a category): the station's staff and
    # the committee's (the core's case.file_on_behalf is checked as well).
    "propertyservice.hotline.file_case": Rule(STATION_AND_STAFF, town=False),
}
