"""Letter settings for the demo office, so that `seed_demo` gives letters that can be issued."""

from .models import LetterSettings


def load_demo_letter_settings(office):
    district = office.parent
    settings, _ = LetterSettings.objects.get_or_create(
        organization=office,
        defaults={
            "review_body": district.name if district else "洛阳市洛龙区人民政府",
            "court": "洛阳市洛龙区人民法院",
            "number_pattern": "学府依申〔{year}〕{seq}号",
        },
    )
    return settings
