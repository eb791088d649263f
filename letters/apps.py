from django.apps import AppConfig


def letter_entries(application):
    """Each issued letter (every version) on the application's history timeline."""
    from applications.history import TimelineEntry

    return [
        TimelineEntry(
            when=letter.issued_at,
            who=letter.issued_by,
            action="出具",
            subject=f"{letter.kind_label}（{letter.number}，第{letter.version}版）",
        )
        for letter in application.letters.select_related("issued_by")
    ]


class LettersConfig(AppConfig):
    name = "letters"
    verbose_name = "告知书"

    def ready(self):
        from applications.history import register_timeline_source

        register_timeline_source(letter_entries)
