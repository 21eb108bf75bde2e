#!/usr/bin/env python3
"""Run a command with DATABASE_URL pointing at PostgreSQL.

If DATABASE_URL is already set it is used as it is. Otherwise a throwaway cluster is made with `initdb` in a
temporary folder (binaries from PATH or /usr/lib/postgresql/*/bin), started with `pg_ctl` on a free port with a
Unix socket in that folder, and removed afterwards whatever the command's outcome.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import sys
import tempfile


def find_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True):
        return candidate
    return None


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def main() -> int:
    cmd = sys.argv[1:]
    if not cmd:
        print("usage: with_postgres.py COMMAND [ARGS…]", file=sys.stderr)
        return 2
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        return subprocess.call(cmd)
    initdb, pg_ctl = find_bin("initdb"), find_bin("pg_ctl")
    if not initdb or not pg_ctl:
        print(
            "PostgreSQL server binaries (initdb, pg_ctl) were not found on PATH or under "
            "/usr/lib/postgresql/*/bin. Install them (Debian: apt-get install postgresql) or set DATABASE_URL.",
            file=sys.stderr,
        )
        return 3
    tmp = tempfile.mkdtemp(prefix="linli-pg-")
    data = os.path.join(tmp, "data")
    port = free_port()
    demote = None
    env = dict(os.environ)
    if os.geteuid() == 0:
        # PostgreSQL refuses to run as root: run the cluster as an unprivileged user.
        user = "postgres" if _user_exists("postgres") else "nobody"
        pw = pwd.getpwnam(user)
        os.chown(tmp, pw.pw_uid, pw.pw_gid)

        def demote() -> None:  # type: ignore[misc]
            os.setgid(pw.pw_gid)
            os.setuid(pw.pw_uid)

        env["HOME"] = tmp
    try:
        subprocess.run(
            [initdb, "-D", data, "-U", "linli", "-A", "trust", "-E", "UTF8", "--no-locale"],
            check=True,
            stdout=subprocess.DEVNULL,
            preexec_fn=demote,
            env=env,
        )
        opts = (
            f"-p {port} -k {tmp} -c listen_addresses='127.0.0.1' -c fsync=off -c synchronous_commit=off "
            "-c full_page_writes=off -c max_connections=200"
        )
        subprocess.run(
            [pg_ctl, "-D", data, "-o", opts, "-l", os.path.join(tmp, "log"), "-w", "start"],
            check=True,
            stdout=subprocess.DEVNULL,
            preexec_fn=demote,
            env=env,
        )
        child_env = dict(os.environ, DATABASE_URL=f"postgres://linli@127.0.0.1:{port}/postgres")
        print(f"throwaway PostgreSQL on port {port}", flush=True)
        return subprocess.call(cmd, env=child_env)
    finally:
        if os.path.exists(os.path.join(data, "postmaster.pid")):
            subprocess.run(
                [pg_ctl, "-D", data, "-m", "immediate", "stop"],
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                preexec_fn=demote,
                env=env,
            )
        shutil.rmtree(tmp, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
        return True
    except KeyError:
        return False


if __name__ == "__main__":
    sys.exit(main())
