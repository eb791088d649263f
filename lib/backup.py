"""Backing up and restoring the whole system: the database (every table of every app,
database-neutral JSON lines) and the media folder, in one .tar.gz.

Left out: content types and permissions (migrate creates them; rows refer to them by
natural key), sessions, and the task queue (work in flight is not carried over; the
results users see are in jobs.Job, which is kept).
"""

import hashlib
import io
import json
import os
import tarfile
import tempfile
from pathlib import Path, PurePosixPath
from typing import Any

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.db import connection, transaction
from django.db.models import Model
from django.test.utils import override_settings
from django.utils import timezone

DATA = "data.jsonlx"  # lib/serializers.py: JSON Lines with every microsecond
MANIFEST = "manifest.json"
MEDIA = "media"
EXCLUDED = ["contenttypes", "auth.permission", "sessions", "django_tasks_database"]
EXCLUDED_MODELS = {"contenttypes.contenttype", "auth.permission", "sessions.session"}


class BackupError(Exception):
    """str() says what is wrong, in Chinese."""


def counted_models() -> list[type[Model]]:
    return [
        model
        for model in apps.get_models()
        if model._meta.label_lower not in EXCLUDED_MODELS
        and model._meta.app_label != "django_tasks_database"
        and model._meta.managed
        and not model._meta.proxy
    ]


def counts() -> dict[str, int]:
    return {model._meta.label_lower: model._default_manager.count() for model in counted_models()}


def add_bytes(archive: tarfile.TarFile, name: str, data: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(data)
    info.mtime = int(timezone.now().timestamp())
    archive.addfile(info, io.BytesIO(data))


def backup(output: str | os.PathLike[str]) -> dict[str, Any]:
    """Write a backup to `output` (a .tar.gz path); returns the manifest."""
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        data = Path(folder) / DATA
        call_command(
            "dumpdata",
            *[f"--exclude={label}" for label in EXCLUDED],
            natural_foreign=True,
            format="jsonlx",
            output=str(data),
            verbosity=0,
        )
        digest = hashlib.sha256(data.read_bytes()).hexdigest()
        media = Path(settings.MEDIA_ROOT)
        files = (
            sorted(path for path in media.rglob("*") if path.is_file()) if media.is_dir() else []
        )
        manifest = {
            "created_at": timezone.now().isoformat(),
            "database": connection.vendor,
            "counts": counts(),
            "data_sha256": digest,
            "media_files": len(files),
        }
        with tarfile.open(output, "w:gz") as archive:
            add_bytes(
                archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            )
            archive.add(data, DATA)
            for path in files:
                archive.add(path, f"{MEDIA}/{path.relative_to(media).as_posix()}")
    return manifest


def database_is_empty() -> bool:
    from accounts.models import User
    from applications.models import Organization

    return not User.objects.exists() and not Organization.objects.exists()


def safe_media_name(name: str) -> Path | None:
    """The path under MEDIA_ROOT for an archive member, or None when it would leave it."""
    path = PurePosixPath(name)
    if (
        path.parts[:1] != (MEDIA,)
        or len(path.parts) < 2
        or ".." in path.parts
        or path.is_absolute()
    ):
        return None
    return Path(*path.parts[1:])


def member_bytes(archive: tarfile.TarFile, member: str | tarfile.TarInfo) -> bytes:
    """The content of a file in the archive; KeyError when it is missing or not a file."""
    handle = archive.extractfile(member)
    if handle is None:  # a folder or a link
        raise KeyError(member)
    return handle.read()


def restore(source: str | os.PathLike[str]) -> dict[str, Any]:
    """Restore a backup into an empty database and media folder; returns the manifest."""
    if not database_is_empty():
        raise BackupError(
            "目标数据库里已经有机关或用户，恢复会与现有数据冲突。请换一个新建的空数据库"
            "（设置 DATABASE_URL）后再恢复。"
        )
    try:
        archive = tarfile.open(source, "r:gz")
    except (OSError, tarfile.TarError):
        raise BackupError(
            f"无法读取备份文件“{source}”，它不是本系统生成的备份（.tar.gz）或已损坏。"
        ) from None
    with archive, tempfile.TemporaryDirectory() as folder:
        try:
            manifest = json.loads(member_bytes(archive, MANIFEST))
            data = member_bytes(archive, DATA)
        except (KeyError, AttributeError, ValueError):
            raise BackupError(f"备份文件“{source}”缺少数据或说明文件，无法恢复。") from None
        if hashlib.sha256(data).hexdigest() != manifest["data_sha256"]:
            raise BackupError(
                f"备份文件“{source}”中的数据校验不一致（文件已损坏），没有恢复任何数据。"
            )
        path = Path(folder) / DATA
        path.write_bytes(data)
        call_command("migrate", interactive=False, verbosity=0)
        # The history rows come from the backup: none is to be added while loading (a
        # user's groups being set would otherwise add one).
        # migrate has just made the roles' groups afresh; the backup carries them with
        # their own ids, so the new ones give way (in the same transaction as the load).
        with transaction.atomic(), override_settings(SIMPLE_HISTORY_ENABLED=False):
            Group.objects.all().delete()
            call_command("loaddata", str(path), verbosity=0)
        media = Path(settings.MEDIA_ROOT)
        for member in archive.getmembers():
            relative = safe_media_name(member.name)
            if relative is None or not member.isfile():
                continue
            target = media / relative
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(member_bytes(archive, member))
    found = counts()
    missing = {
        label: (number, found.get(label, 0))
        for label, number in manifest["counts"].items()
        if found.get(label, 0) != number
    }
    if missing:
        detail = "；".join(
            f"{label} 应有 {want} 条，恢复后 {got} 条" for label, (want, got) in missing.items()
        )
        raise BackupError(f"恢复后的记录数与备份不一致：{detail}。")
    return manifest
