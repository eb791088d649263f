"""Static files in production: WhiteNoise's compressed, hashed files, and pages that still
render before the set-up has collected them (the plain name is used, and logged)."""

import logging

from whitenoise.storage import CompressedManifestStaticFilesStorage

logger = logging.getLogger("gongkai")


class ForgivingManifestStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:
            logger.warning(
                "静态文件 %s 尚未收集，请运行 bash scripts/setup.sh（其中的 collectstatic）。", name
            )
            return name
