"""Online backups and restore.

SQLite: the online backup API (a consistent copy while the portal runs). MySQL/MariaDB:
`mariadb-dump --single-transaction` (a consistent InnoDB snapshot without locking writers).
"""

import gzip
import os
import shutil
import sqlite3
import subprocess
from pathlib import Path

from portal import clock
from portal.db import db, is_mysql


def _stamp():
    return clock.utc_stamp("%Y%m%dT%H%M%SZ")


def _mysql_args(database):
    params = database.connect_params
    args = [
        "-h",
        str(params.get("host", "127.0.0.1")),
        "-P",
        str(params.get("port", 3306)),
        "-u",
        str(params.get("user", "root")),
    ]
    env = dict(os.environ)
    if params.get("password"):
        env["MYSQL_PWD"] = str(params["password"])
    return args, env


def backup(output_dir: str) -> Path:
    """Write a backup file into output_dir and return its path."""
    output = Path(output_dir)
    output.mkdir(parents=True, exist_ok=True)
    database = db.obj
    if is_mysql(database):
        target = output / f"portal-{_stamp()}.sql.gz"
        args, env = _mysql_args(database)
        dump = shutil.which("mariadb-dump") or shutil.which("mysqldump") or "mariadb-dump"
        with gzip.open(target, "wb") as handle:
            result = subprocess.run(
                [
                    dump,
                    *args,
                    "--single-transaction",
                    "--routines",
                    "--default-character-set=utf8mb4",
                    database.database,
                ],
                env=env,
                stdout=subprocess.PIPE,
                check=True,
            )
            handle.write(result.stdout)
        return target
    target = output / f"portal-{_stamp()}.sqlite3"
    source = sqlite3.connect(database.database)
    destination = sqlite3.connect(target)
    with destination:
        source.backup(destination)
    destination.close()
    source.close()
    return target


def restore(path: str | Path) -> None:
    """Replace the current database's content with a backup (stop the portal first)."""
    path = Path(path)
    database = db.obj
    if is_mysql(database):
        args, env = _mysql_args(database)
        client = shutil.which("mariadb") or shutil.which("mysql") or "mariadb"
        data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        subprocess.run([client, *args, database.database], input=data, env=env, check=True)
        return
    if not db.is_closed():
        db.close()
    if hasattr(database, "close_all"):
        database.close_all()  # a pool's idle connections: none may outlive the old content
    source = sqlite3.connect(path)
    destination = sqlite3.connect(database.database)
    with destination:
        source.backup(destination)
    destination.close()
    source.close()
