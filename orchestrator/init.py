"""`ai-employee init`: the vault from `vault_template/` and a `.env` with a fresh signing key.
Idempotent: a second run changes nothing and never overwrites a file the user has."""

from __future__ import annotations

import secrets
import shutil
import sys
from dataclasses import dataclass, field
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[1]


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
    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)
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


def env_text(vault: Path) -> str:
    lines = []
    for line in _data_path(".env.example").read_text("utf-8").splitlines():
        if line.startswith("APPROVAL_SIGNING_KEY="):
            line = f"APPROVAL_SIGNING_KEY={secrets.token_urlsafe(48)}"
        elif line.startswith("VAULT_PATH="):
            line = f"VAULT_PATH={vault}"
        elif line.split("=", 1)[0].endswith("_MODE"):
            line = line.split("=", 1)[0] + "=sandbox"
        lines.append(line)
    return "\n".join(lines) + "\n"


def write_env(env_file: Path, vault: Path, report: InitReport) -> None:
    if env_file.exists():
        report.kept.append(env_file)
        text = env_file.read_text("utf-8")
        key = next((ln.split("=", 1)[1] for ln in text.splitlines() if ln.startswith("APPROVAL_SIGNING_KEY=")), "")
        if len(key.strip()) < 32:
            report.warnings.append(
                f"{env_file} has no APPROVAL_SIGNING_KEY of 32+ characters; add one "
                f"(for example: python -c 'import secrets; print(secrets.token_urlsafe(48))')."
            )
        return
    env_file.parent.mkdir(parents=True, exist_ok=True)
    env_file.write_text(env_text(vault), "utf-8")
    env_file.chmod(0o600)
    report.created.append(env_file)


def init(vault: Path, env_file: Path) -> InitReport:
    vault = vault.expanduser().resolve()
    report = InitReport(vault=vault, env_file=env_file.resolve())
    if vault.exists() and not vault.is_dir():
        raise SystemExit(f"{vault} exists and is not a folder; choose another --vault.")
    vault.mkdir(parents=True, exist_ok=True)
    copy_template(vault, report)
    write_env(env_file, vault, report)
    return report
