"""JSON Lines that keep every microsecond: Django's own JSON encoder cuts times to
milliseconds, and a backup must give back every record exactly (lib/backup.py).
Registered as the serialization format "jsonlx" (settings.SERIALIZATION_MODULES)."""

import datetime

from django.core.serializers import jsonl
from django.core.serializers.json import DjangoJSONEncoder


class ExactEncoder(DjangoJSONEncoder):
    def default(self, o):
        if isinstance(o, datetime.datetime):
            text = o.isoformat()
            return text[:-6] + "Z" if text.endswith("+00:00") else text
        if isinstance(o, datetime.time):
            return o.isoformat()
        return super().default(o)


class Serializer(jsonl.Serializer):
    def _init_options(self):
        super()._init_options()
        self.json_kwargs["cls"] = ExactEncoder


Deserializer = jsonl.Deserializer
