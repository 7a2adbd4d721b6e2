#!/usr/bin/env python3
"""mkconfig.py ROOTFS SRC OUT MEM_BYTES NPROC -- ARGS...  > config.json

Write a minimal OCI runtime config for runsc (the daemon will do the same in
C with jansson). Read-only root, /src read-only bind of the user code,
/out writable bind (the only host dir the sandbox can write: an empty dir
owned by 65534), tmpfs /tmp, uid/gid 65534, no capabilities,
noNewPrivileges, RLIMIT_NPROC, memory limit and pids.limit (>= 512:
gVisor's own threads count) in a cgroup of our own (cgroupsPath).
SRC or OUT may be '-' (not mounted).
"""
import json, os, sys

rootfs, src, out, mem, nproc = sys.argv[1:6]
args = sys.argv[sys.argv.index("--") + 1:]
mounts = [
    {"destination": "/proc", "type": "proc", "source": "proc"},
    {"destination": "/dev", "type": "tmpfs", "source": "tmpfs",
     "options": ["nosuid", "strictatime", "mode=755", "size=65536k"]},
    {"destination": "/sys", "type": "sysfs", "source": "sysfs",
     "options": ["nosuid", "noexec", "nodev", "ro"]},
    {"destination": "/tmp", "type": "tmpfs", "source": "tmpfs",
     "options": ["nosuid", "nodev", "mode=1777", "size=67108864"]},
]
if src != "-":
    mounts.append({"destination": "/src", "type": "bind", "source": os.path.abspath(src),
                   "options": ["rbind", "ro", "nosuid", "nodev"]})
if out != "-":
    mounts.append({"destination": "/out", "type": "bind", "source": os.path.abspath(out),
                   "options": ["rbind", "rw", "nosuid", "nodev"]})
cfg = {
    "ociVersion": "1.0.2-dev",
    "process": {
        "terminal": False,
        "user": {"uid": int(os.environ.get("SB_UID", "65534")), "gid": int(os.environ.get("SB_UID", "65534"))},
        "args": args,
        "env": ["PATH=/usr/local/bin:/usr/bin:/bin", "HOME=/tmp", "LANG=C.UTF-8"],
        "cwd": "/tmp",
        "capabilities": {"bounding": [], "effective": [], "inheritable": [],
                         "permitted": [], "ambient": []},
        "rlimits": [
            {"type": "RLIMIT_NPROC", "hard": int(nproc), "soft": int(nproc)},
            {"type": "RLIMIT_NOFILE", "hard": 256, "soft": 256},
        ],
        "noNewPrivileges": True,
    },
    "root": {"path": os.path.abspath(rootfs), "readonly": True},
    "hostname": "sandbox",
    "mounts": mounts,
    "linux": {
        "namespaces": [{"type": t} for t in ("pid", "network", "ipc", "uts", "mount")],
        "resources": {
            "memory": {"limit": int(mem)},
            "pids": {"limit": int(os.environ.get("PIDS", "512"))},
            "cpu": {"quota": 100000, "period": 100000},
        },
        "cgroupsPath": "/sopm-spike/" + os.environ.get("SB_ID", "x"),
    },
}
json.dump(cfg, sys.stdout, indent=1)
