"""A FUSE file system that loses everything not yet fsync'ed when the power is "cut".

It follows POSIX's own rule, the strictest one real file systems (btrfs) apply: a file's
bytes are durable once the *file* is fsync'ed, and a *name* (create, mkdir, rename, link,
unlink) is durable once its *directory* is fsync'ed. Everything lives in memory; each file
and directory keeps its current state and the state as of its last fsync. A cut replaces
every current state by the synced one, so whatever was not synced is gone (the LazyFS idea).

Run as `python lossyfs.py MOUNTPOINT`. The process mounts, and every time the file system
is unmounted it reads one command from stdin:
  cut    drop everything unsynced, then mount again (a power cut and a reboot)
  keep   mount again with the state as it is (a clean reboot)
  stop   exit
so a test kills its server, writes "cut", unmounts, and waits for the mount to come back.
Kernel caches go with the unmount, so after the remount every read comes from here.
"""

import errno
import stat
import sys
import threading
import time

import mfusepy as fuse

PAGE = 4096
ZERO_PAGE = bytes(PAGE)


class Node:
    """A file (pages) or a directory (entries), with its state as of its last fsync."""

    __slots__ = ("kind", "mode", "mtime", "size", "pages", "synced_size", "synced_pages", "entries", "synced_entries")

    def __init__(self, kind, mode):
        self.kind = kind
        self.mode = mode
        self.mtime = time.time()
        # Files: pages of PAGE bytes (immutable, so a sync copies only the dict).
        self.size = 0
        self.pages = {}
        self.synced_size = 0
        self.synced_pages = {}
        # Directories: name -> Node.
        self.entries = {}
        self.synced_entries = {}

    def sync(self):
        if self.kind == "dir":
            self.synced_entries = dict(self.entries)
        else:
            self.synced_size = self.size
            self.synced_pages = dict(self.pages)

    def read(self, offset, length):
        end = min(self.size, offset + length)
        if offset >= end:
            return b""
        out = bytearray()
        position = offset
        while position < end:
            index, start = divmod(position, PAGE)
            take = min(PAGE - start, end - position)
            out += self.pages.get(index, ZERO_PAGE)[start : start + take]
            position += take
        return bytes(out)

    def write(self, offset, data):
        position = offset
        view = memoryview(data)
        done = 0
        while done < len(view):
            index, start = divmod(position, PAGE)
            take = min(PAGE - start, len(view) - done)
            page = self.pages.get(index, ZERO_PAGE)
            self.pages[index] = page[:start] + bytes(view[done : done + take]) + page[start + take :]
            position += take
            done += take
        self.size = max(self.size, offset + len(data))
        self.mtime = time.time()

    def truncate(self, length):
        if length < self.size:
            last = length // PAGE
            for index in [i for i in self.pages if i > last or (i == last and length % PAGE == 0)]:
                del self.pages[index]
            if length % PAGE and last in self.pages:
                page = self.pages[last]
                self.pages[last] = page[: length % PAGE] + bytes(PAGE - length % PAGE)
        self.size = length
        self.mtime = time.time()


class LossyFS(fuse.Operations):
    use_ns = True

    def __init__(self):
        self.mutex = threading.RLock()
        self.root = Node("dir", stat.S_IFDIR | 0o755)
        self.handles = {}
        self.next_handle = 1
        self.stats = {"fsync": 0, "fsyncdir": 0, "cuts": 0}

    # --- power -------------------------------------------------------------------------

    def cut(self):
        """Every node reachable through synced names goes back to its synced state; the
        rest (never named durably) is unreachable and so gone."""
        with self.mutex:
            self.stats["cuts"] += 1
            seen = set()
            stack = [self.root]
            while stack:
                node = stack.pop()
                if id(node) in seen:
                    continue
                seen.add(id(node))
                if node.kind == "dir":
                    node.entries = dict(node.synced_entries)
                    stack.extend(node.entries.values())
                else:
                    node.size = node.synced_size
                    node.pages = dict(node.synced_pages)
            self.handles.clear()

    # --- lookup ------------------------------------------------------------------------

    def _walk(self, path):
        node = self.root
        for part in [p for p in path.split("/") if p]:
            if node.kind != "dir" or part not in node.entries:
                raise fuse.FuseOSError(errno.ENOENT)
            node = node.entries[part]
        return node

    def _parent(self, path):
        parent_path, _, name = path.rstrip("/").rpartition("/")
        parent = self._walk(parent_path or "/")
        if parent.kind != "dir":
            raise fuse.FuseOSError(errno.ENOTDIR)
        return parent, name

    def _handle(self, node):
        handle = self.next_handle
        self.next_handle += 1
        self.handles[handle] = node
        return handle

    def _node(self, path, fh):
        node = self.handles.get(fh) if fh else None
        return node if node is not None else self._walk(path)

    # --- operations --------------------------------------------------------------------

    def getattr(self, path, fh=None):
        with self.mutex:
            node = self._node(path, fh)
            ns = int(node.mtime * 1e9)
            return {
                "st_mode": node.mode,
                "st_nlink": 2 if node.kind == "dir" else 1,
                "st_size": node.size if node.kind == "file" else 4096,
                "st_mtime": ns,
                "st_ctime": ns,
                "st_atime": ns,
                "st_uid": 0,
                "st_gid": 0,
            }

    def access(self, path, amode):
        with self.mutex:
            self._walk(path)
            return 0

    def statfs(self, path):
        return {"f_bsize": PAGE, "f_frsize": PAGE, "f_blocks": 1 << 22, "f_bfree": 1 << 21,
                "f_bavail": 1 << 21, "f_files": 1 << 20, "f_ffree": 1 << 19, "f_namemax": 255}

    def readdir(self, path, fh):
        with self.mutex:
            node = self._walk(path)
            return [".", ".."] + list(node.entries)

    def opendir(self, path):
        with self.mutex:
            return self._handle(self._walk(path))

    def releasedir(self, path, fh):
        with self.mutex:
            self.handles.pop(fh, None)
            return 0

    def fsyncdir(self, path, datasync, fh):
        with self.mutex:
            self._node(path, fh).sync()
            self.stats["fsyncdir"] += 1
            return 0

    def mkdir(self, path, mode):
        with self.mutex:
            parent, name = self._parent(path)
            if name in parent.entries:
                raise fuse.FuseOSError(errno.EEXIST)
            parent.entries[name] = Node("dir", stat.S_IFDIR | (mode & 0o7777))
            return 0

    def rmdir(self, path):
        with self.mutex:
            parent, name = self._parent(path)
            node = self._walk(path)
            if node.entries:
                raise fuse.FuseOSError(errno.ENOTEMPTY)
            del parent.entries[name]
            return 0

    def create(self, path, mode, fi=None):
        with self.mutex:
            parent, name = self._parent(path)
            node = parent.entries.get(name)
            if node is None:
                node = Node("file", stat.S_IFREG | (mode & 0o7777))
                parent.entries[name] = node
            return self._handle(node)

    def mknod(self, path, mode, dev):
        with self.mutex:
            parent, name = self._parent(path)
            if name in parent.entries:
                raise fuse.FuseOSError(errno.EEXIST)
            parent.entries[name] = Node("file", stat.S_IFREG | (mode & 0o7777))
            return 0

    def open(self, path, flags):
        with self.mutex:
            return self._handle(self._walk(path))

    def release(self, path, fh):
        with self.mutex:
            self.handles.pop(fh, None)
            return 0

    def flush(self, path, fh):
        return 0

    def read(self, path, size, offset, fh):
        with self.mutex:
            return self._node(path, fh).read(offset, size)

    def write(self, path, data, offset, fh):
        with self.mutex:
            self._node(path, fh).write(offset, data)
            return len(data)

    def truncate(self, path, length, fh=None):
        with self.mutex:
            self._node(path, fh).truncate(length)
            return 0

    def fsync(self, path, datasync, fh):
        with self.mutex:
            self._node(path, fh).sync()
            self.stats["fsync"] += 1
            return 0

    def unlink(self, path):
        with self.mutex:
            parent, name = self._parent(path)
            if name not in parent.entries:
                raise fuse.FuseOSError(errno.ENOENT)
            del parent.entries[name]
            return 0

    def rename(self, old, new):
        with self.mutex:
            old_parent, old_name = self._parent(old)
            new_parent, new_name = self._parent(new)
            if old_name not in old_parent.entries:
                raise fuse.FuseOSError(errno.ENOENT)
            node = old_parent.entries.pop(old_name)
            new_parent.entries[new_name] = node
            return 0

    def link(self, target, source):
        with self.mutex:
            node = self._walk(source)
            parent, name = self._parent(target)
            if name in parent.entries:
                raise fuse.FuseOSError(errno.EEXIST)
            parent.entries[name] = node
            return 0

    def chmod(self, path, mode):
        with self.mutex:
            node = self._walk(path)
            node.mode = (node.mode & ~0o7777) | (mode & 0o7777)
            return 0

    def chown(self, path, uid, gid):
        return 0

    def utimens(self, path, times=None):
        return 0


def main():
    mountpoint = sys.argv[1]
    filesystem = LossyFS()
    while True:
        # No kernel caching of names or attributes, so nothing survives a cut but our state.
        fuse.FUSE(filesystem, mountpoint, foreground=True, nothreads=False,
                  entry_timeout=0, attr_timeout=0, negative_timeout=0)
        command = sys.stdin.readline().strip()
        if command == "cut":
            filesystem.cut()
        elif command == "keep":
            pass
        else:
            print(f"lossyfs: {filesystem.stats}", file=sys.stderr, flush=True)
            return


if __name__ == "__main__":
    main()
