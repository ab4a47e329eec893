"""`ai-employee init`: the vault from `vault_template/`, the project's `.env` (settings that are not
secret) and the per-user configuration file with a fresh signing key (the secrets).

The secrets go to `~/.config/ai-employee/config.env` (mode 600, folder 700; `$XDG_CONFIG_HOME` moves it),
outside the project folder and the vault, so the model's tools do not reach them. Idempotent: a second
run changes nothing and never overwrites a file the user has. `--move-secrets` moves the secrets of an
existing project `.env` into the per-user file.
"""

from __future__ import annotations

import os
import secrets
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]
SECRET_SUFFIXES = ("_KEY", "_TOKEN", "_SECRET", "_PASSWORD")
_KEY = "APPROVAL_SIGNING_KEY"


def is_secret(name: str) -> bool:
    """A setting whose value must stay out of the model's reach (keys, tokens, secrets, passwords)."""
    return name.strip().upper().endswith(SECRET_SUFFIXES)


def _data_path(name: str) -> Path:
    """A file shipped with the project: the checkout first, else the installed wheel's data."""
    local = PROJECT_ROOT / name
    if local.exists():
        return local
    return Path(sys.prefix) / "ai_employee_data" / name


@dataclass
class InitReport:
    vault: Path
    env_file: Path
    user_file: Path
    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
    moved: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def copy_template(vault: Path, report: InitReport) -> None:
    template = _data_path("vault_template")
    for source in sorted(template.rglob("*")):
        target = vault / source.relative_to(template)
        if source.is_dir():
            target.mkdir(parents=True, exist_ok=True)
        elif target.exists():
            report.kept.append(target)
        else:
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
            report.created.append(target)
    (vault / ".ai_employee").mkdir(exist_ok=True)


def _name(line: str) -> str:
    return line.split("=", 1)[0].strip() if "=" in line and not line.lstrip().startswith("#") else ""


def _split_example() -> tuple[list[str], list[str]]:
    """`.env.example` as (project lines, secret lines): each secret line moves with its comments."""
    project: list[str] = []
    secret: list[str] = []
    comments: list[str] = []
    for line in _data_path(".env.example").read_text("utf-8").splitlines():
        if line.startswith("#") and not line.startswith("# ---"):
            comments.append(line)
            continue
        target = secret if is_secret(_name(line)) else project
        target.extend([*comments, line])
        comments = []
    return project + comments, secret


def env_text(vault: Path, user_file: Path) -> str:
    lines = [f"# Secrets (signing key, API keys and tokens) are not kept here but in {user_file}."]
    for line in _split_example()[0]:
        if line.startswith("VAULT_PATH="):
            line = f"VAULT_PATH={vault}"
        elif _name(line).endswith("_MODE"):
            line = _name(line) + "=sandbox"
        lines.append(line)
    return "\n".join(lines) + "\n"


def user_text(key: str | None) -> str:
    """The per-user file: the signing key, and every other secret as a commented placeholder (an empty
    value would override one set in an older project `.env`)."""
    lines = [
        "# AI Employee secrets for this user: read by the servers and the orchestrator after the environment,",
        "# before the project's .env. Outside the project folder and the vault: the model's tools do not go here.",
        f"{_KEY}={key}" if key else f"# {_KEY}= (still in the project's .env: run `ai-employee init --move-secrets`)",
    ]
    for line in _split_example()[1]:
        if _name(line) != _KEY:
            lines.append(line if line.startswith("#") else f"# {line}")
    return "\n".join(lines) + "\n"


def env_values(path: Path) -> dict[str, str]:
    if not path.is_file():
        return {}
    return {_name(ln): ln.split("=", 1)[1].strip() for ln in path.read_text("utf-8").splitlines() if _name(ln)}


def write_private(path: Path, text: str) -> None:
    """Create or replace `path` readable by the owner only (folder 700, file 600), never world-readable."""
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    path.parent.chmod(0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(text)
    path.chmod(0o600)


def write_user_file(report: InitReport) -> None:
    path, project_key = report.user_file, env_values(report.env_file).get(_KEY, "")
    if path.exists():
        report.kept.append(path)
        if len(env_values(path).get(_KEY, "") or project_key or os.environ.get(_KEY, "")) < 32:
            report.warnings.append(
                f"no {_KEY} of 32+ characters in {path}; add one there "
                "(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        return
    write_private(path, user_text(None if len(project_key) >= 32 else secrets.token_urlsafe(48)))
    report.created.append(path)


def write_env(report: InitReport) -> None:
    if report.env_file.exists():
        report.kept.append(report.env_file)
        return
    report.env_file.parent.mkdir(parents=True, exist_ok=True)
    report.env_file.write_text(env_text(report.vault, report.user_file), "utf-8")
    report.created.append(report.env_file)


def move_secrets(report: InitReport) -> None:
    """Move every secret set in the project `.env` into the per-user file (a value already set there wins)."""
    lines = report.env_file.read_text("utf-8").splitlines() if report.env_file.is_file() else []
    moving = {_name(ln): ln for ln in lines if is_secret(_name(ln)) and ln.split("=", 1)[1].strip()}
    if not moving:
        return
    existing = report.user_file.read_text("utf-8") if report.user_file.exists() else ""
    have = {name for name, value in env_values(report.user_file).items() if value}
    added = [line for name, line in moving.items() if name not in have]
    text = existing.rstrip("\n") + ("\n" if existing else "") + "\n".join(added) + "\n"
    write_private(report.user_file, text)
    kept = [ln for ln in lines if _name(ln) not in moving]
    report.env_file.write_text("\n".join(kept) + "\n", "utf-8")
    report.moved = sorted(moving)


def init(vault: Path, env_file: Path, user_file: Path, *, move: bool = False) -> InitReport:
    vault = vault.expanduser().resolve()
    report = InitReport(vault=vault, env_file=env_file.resolve(), user_file=user_file)
    if vault.exists() and not vault.is_dir():
        raise SystemExit(f"{vault} exists and is not a folder; choose another --vault.")
    vault.mkdir(parents=True, exist_ok=True)
    copy_template(vault, report)
    write_env(report)
    write_user_file(report)
    if move:
        move_secrets(report)
    return report
