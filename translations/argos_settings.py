"""Argos Translate's own settings, read the way argostranslate.settings reads them.

argostranslate's `get_setting(key)` takes the environment variable first, then the key in
`$XDG_CONFIG_HOME/argos-translate/settings.json` (default `~/.config/...`; under a snap,
`$SNAP_USER_DATA` stands for the home folder). briefpack honours the two settings that say
where packages are: `ARGOS_PACKAGES_DIR` (the packages folder) and `ARGOS_PACKAGE_INDEX`
(the index's base URL, to which argostranslate appends "index.json"). A missing file is
normal; a broken one is ignored with a warning, as argostranslate does.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from briefpack.system.files import FileProblem, read_regular
from briefpack.system.jsondata import load_json
from briefpack.system.text import shorten

log = logging.getLogger(__name__)

MAX_SETTINGS_BYTES = 1024 * 1024


def _home(env: Mapping[str, str]) -> Path:
    if "SNAP" in env and env.get("SNAP_USER_DATA"):
        return Path(env["SNAP_USER_DATA"])
    return Path(env["HOME"]) if env.get("HOME") else Path.home()


def settings_file(env: Mapping[str, str] | None = None) -> Path:
    """Where argostranslate keeps settings.json for this environment."""
    env = os.environ if env is None else env
    config_home = env.get("XDG_CONFIG_HOME") or str(_home(env) / ".config")
    return Path(config_home) / "argos-translate" / "settings.json"


def data_dir(env: Mapping[str, str] | None = None) -> Path:
    """Argos's data folder, `$XDG_DATA_HOME/argos-translate` (default ~/.local/share)."""
    env = os.environ if env is None else env
    data_home = env.get("XDG_DATA_HOME") or str(_home(env) / ".local" / "share")
    return Path(data_home) / "argos-translate"


def _file_settings(env: Mapping[str, str]) -> dict[str, Any]:
    path = settings_file(env)
    try:
        settings = load_json(read_regular(path, MAX_SETTINGS_BYTES))
    except FileProblem as exc:
        if exc.kind != "missing":
            log.warning("ignoring Argos settings %s: it %s", path, exc.reason)
        return {}
    except ValueError as exc:
        log.warning("ignoring Argos settings %s: it %s", path, exc)
        return {}
    if not isinstance(settings, dict):
        log.warning("ignoring Argos settings %s: it is not a JSON object", path)
        return {}
    return settings


def argos_setting(key: str, env: Mapping[str, str] | None = None) -> str | None:
    """An Argos setting: the environment variable, else settings.json, else None."""
    env = os.environ if env is None else env
    if env.get(key):
        return env[key]
    value = _file_settings(env).get(key)
    if value is None:
        return None
    if not isinstance(value, str) or not value.strip():
        shown = shorten(repr(value), 60)
        log.warning("ignoring %s = %s in %s: not a text value", key, shown, settings_file(env))
        return None
    return value
