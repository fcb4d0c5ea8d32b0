/**
 * The native worker: CPython inside bubblewrap (see _native_launch.ts), started as
 * `python -I -c NATIVE_REPL_SOURCE SOCKET`. It runs no cell code itself. It imports numpy and
 * sympy once, then forks one process per session (copy-on-write, so a session starts in
 * milliseconds with both imported), each in user, PID and mount namespaces of its own:
 *
 * - the session sees only its own processes (its /proc is its own), cannot signal or trace the
 *   worker or another session, and has a /tmp and a /dev/shm of its own (size-capped tmpfs);
 * - it drops every capability before any cell, and runs under rlimits on address space, processes
 *   (counted per session), file size, CPU time and open files;
 * - a cell that overruns its wall time ends its session's whole process tree at once (the PID
 *   namespace's init is killed, and the kernel kills the rest), double forks and daemons included;
 * - processes a cell leaves behind are killed when it answers, asyncio tasks are cancelled, and a
 *   thread that outlives its cell ends the session.
 *
 * Requests and answers are the Deno workers' (_protocol.ts), over the pool's socket; the worker
 * proves it is the process the pool started by sending the nonce it got in its environment.
 */
import { NOTEBOOK_PY, QWEN_PY } from "./_python_cells.ts";

const MAIN_PY = String.raw`
import asyncio, ctypes, gc, json, os, resource, select, signal, socket, sys, threading, time

CLONE_NEWNS, CLONE_NEWUSER, CLONE_NEWPID = 0x00020000, 0x10000000, 0x20000000
PR_SET_DUMPABLE, PR_CAPBSET_DROP, PR_SET_CHILD_SUBREAPER = 4, 24, 36
MS_NOSUID, MS_NODEV, MS_NOEXEC = 2, 4, 8
MAX_ANSWER_BYTES = 1 << 20
libc = ctypes.CDLL(None, use_errno=True)

def check(rc, what):
    if rc != 0:
        err = ctypes.get_errno()
        raise OSError(err, what + ": " + os.strerror(err))

class _CapHeader(ctypes.Structure):
    _fields_ = [("version", ctypes.c_uint32), ("pid", ctypes.c_int)]

class _CapData(ctypes.Structure):
    _fields_ = [("effective", ctypes.c_uint32), ("permitted", ctypes.c_uint32), ("inheritable", ctypes.c_uint32)]

def close_all_but(keep):
    for name in os.listdir("/proc/self/fd"):
        fd = int(name)
        if fd > 2 and fd not in keep:
            try:
                os.close(fd)
            except OSError:
                pass

channel = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
channel.connect(sys.argv[1])
incoming = channel.makefile("rb")

def send(message):
    channel.sendall((json.dumps(message) + "\n").encode())

send({"hello": os.environ.pop("TOCODE_NONCE", "")})
settings = json.loads(incoming.readline())
for name in settings["prewarm"]:
    __import__(name)

def version(name):
    try:
        return __import__(name).__version__
    except Exception:
        return None

libc.prctl(PR_SET_DUMPABLE, 0, 0, 0, 0)
libc.prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
gc.collect()
gc.freeze()  # the imported modules stay shared with every session, not copied on first touch

# ---- inside a session -------------------------------------------------------------------------

def drop_capabilities():
    for cap in range(64):
        libc.prctl(PR_CAPBSET_DROP, cap, 0, 0, 0)
    check(libc.capset(ctypes.byref(_CapHeader(0x20080522, 0)), (_CapData * 2)()), "capset")

def set_limits():
    vm = int(open("/proc/self/status").read().split("VmSize:")[1].split()[0]) * 1024
    memory = vm + settings["memoryMiB"] * 2**20
    for limit, value in [
        (resource.RLIMIT_AS, memory),
        (resource.RLIMIT_NPROC, settings["processes"]),
        (resource.RLIMIT_FSIZE, settings["fileMiB"] * 2**20),
        (resource.RLIMIT_CPU, settings["cpuSeconds"]),
        (resource.RLIMIT_NOFILE, 256),
        (resource.RLIMIT_CORE, 0),
    ]:
        resource.setrlimit(limit, (value, value))

def end_leftover_work():
    """Kills the processes a cell left in the session; True when a thread outlived the cell."""
    me = os.getpid()
    for name in os.listdir("/proc"):
        if name.isdigit() and int(name) not in (1, me):
            try:
                os.kill(int(name), signal.SIGKILL)
            except OSError:
                pass
    return threading.active_count() > 1 or len(os.listdir("/proc/self/task")) > 1

def run_cells(requests_fd, answers_fd):
    null = os.open("/dev/null", os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    close_all_but({requests_fd, answers_fd})
    requests = os.fdopen(requests_fd, "rb")
    answers = os.fdopen(answers_fd, "wb", buffering=0)
    forked = []

    def after_fork_in_child():
        # A process the cell forks must not read the next cell nor answer for this one.
        forked.append(True)
        os.close(requests_fd)
        os.close(answers_fd)

    os.register_at_fork(after_in_child=after_fork_in_child)
    answers.write(b'{"ready": true}\n')
    for line in requests:
        request = json.loads(line)
        if request.get("mode") == "qwen":
            answer = _qwen_run(request["code"])
        else:
            answer = _tocode_run(request["code"], request["cap"])
            if not isinstance(answer, str):
                # A fresh event loop per awaiting cell: asyncio.run cancels what the cell left.
                answer = asyncio.run(answer)
        if forked:
            os._exit(0)  # a child the cell forked has finished the cell's code
        result = json.loads(answer)
        if end_leftover_work():
            result["broken"] = True
            result["stderr"] += "[the session ended: a thread of the cell outlived it]\n"
        answers.write((json.dumps(result) + "\n").encode())
    os._exit(0)

def session_init(requests_fd, answers_fd):
    """PID 1 of the session's namespace: sets the session up, runs the cells, reaps orphans."""
    try:
        check(libc.mount(b"tmpfs", b"/tmp", b"tmpfs", MS_NOSUID | MS_NODEV,
                         ("size=%dm,mode=1777" % settings["tmpMiB"]).encode()), "mount /tmp")
        check(libc.mount(b"tmpfs", b"/dev/shm", b"tmpfs", MS_NOSUID | MS_NODEV,
                         ("size=%dm,mode=1777" % settings["tmpMiB"]).encode()), "mount /dev/shm")
        check(libc.mount(b"proc", b"/proc", b"proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, None), "mount /proc")
        os.chdir("/tmp")
        drop_capabilities()
        set_limits()
        runner = os.fork()
    except BaseException as e:
        os.write(answers_fd, (json.dumps({"failed": str(e)}) + "\n").encode())
        os._exit(70)
    if runner == 0:
        run_cells(requests_fd, answers_fd)
    os.close(requests_fd)
    while True:
        pid, status = os.wait()
        if pid == runner:
            reason = ("signal %d" % os.WTERMSIG(status)) if os.WIFSIGNALED(status) else ("exit %d" % os.WEXITSTATUS(status))
            os.write(answers_fd, (json.dumps({"exited": reason, "signal": os.WTERMSIG(status) if os.WIFSIGNALED(status) else 0}) + "\n").encode())
            os._exit(0)

# ---- in the worker -----------------------------------------------------------------------------

class Session:
    def __init__(self):
        uid, gid = os.getuid(), os.getgid()
        requests_r, self.requests = os.pipe()
        self.answers, answers_w = os.pipe()
        report_r, report_w = os.pipe()
        middle = os.fork()
        if middle == 0:
            status = 0
            try:
                close_all_but({requests_r, answers_w, report_w})
                libc.prctl(PR_SET_DUMPABLE, 1, 0, 0, 0)  # to write its own uid_map; the worker stays not
                check(libc.unshare(CLONE_NEWUSER | CLONE_NEWPID | CLONE_NEWNS), "unshare")
                with open("/proc/self/setgroups", "w") as f:
                    f.write("deny")
                with open("/proc/self/uid_map", "w") as f:
                    f.write("%d %d 1" % (uid, uid))
                with open("/proc/self/gid_map", "w") as f:
                    f.write("%d %d 1" % (gid, gid))
                init = os.fork()
                if init == 0:
                    os.close(report_w)
                    session_init(requests_r, answers_w)
                os.write(report_w, str(init).encode())
            except BaseException as e:
                os.write(report_w, ("!" + str(e)).encode())
                status = 1
            finally:
                os._exit(status)
        for fd in (requests_r, answers_w, report_w):
            os.close(fd)
        report = os.read(report_r, 4096).decode()
        os.close(report_r)
        os.waitpid(middle, 0)
        self.pending = b""
        if not report or report.startswith("!"):
            self.close()
            raise RuntimeError(report[1:] or "its process exited")
        self.init = int(report)  # re-parented to this worker (a subreaper) once the middle exits
        first, _ = self.read(time.monotonic() + 30)
        if not first or "ready" not in first:
            self.end()
            raise RuntimeError((first or {}).get("failed", "it did not start"))

    def read(self, deadline):
        """The next answer line (parsed), or None with "timeout" or "exit"."""
        while b"\n" not in self.pending:
            left = deadline - time.monotonic()
            if left <= 0 or not select.select([self.answers], [], [], left)[0]:
                return None, "timeout"
            chunk = os.read(self.answers, 65536)
            if not chunk or len(self.pending) > MAX_ANSWER_BYTES:
                return None, "exit"
            self.pending += chunk
        line, self.pending = self.pending.split(b"\n", 1)
        try:
            return json.loads(line), None
        except ValueError:
            return None, "exit"

    def end(self):
        try:
            os.kill(self.init, signal.SIGKILL)  # the namespace's init: the kernel kills the rest
        except OSError:
            pass
        self.close()

    def close(self):
        for fd in (self.requests, self.answers):
            try:
                os.close(fd)
            except OSError:
                pass

def reap():
    try:
        while os.waitpid(-1, os.WNOHANG)[0] > 0:
            pass
    except ChildProcessError:
        pass

def ended(status, error):
    return {"status": status, "stdout": "", "stderr": "", "error": error, "truncated": False}

def run(request, sessions):
    key = request.get("session")
    session = sessions.get(key) if key else None
    if session is None:
        try:
            session = Session()
        except Exception as e:
            return ended("error", "Cannot start a session: %s" % e)
        if key:
            sessions[key] = session
    started = time.monotonic()
    message = {"code": request["code"], "cap": request["outputCap"], "mode": request.get("mode")}
    os.write(session.requests, (json.dumps(message) + "\n").encode())
    answer, trouble = session.read(started + request["timeoutMs"] / 1000)
    if trouble == "timeout":
        answer = ended("timeout", "TimeoutError: execution exceeded %d ms" % request["timeoutMs"])
        answer["broken"] = True
    elif trouble or "exited" in answer:
        last = answer if answer and "exited" in answer else session.read(time.monotonic() + 1)[0] or {}
        if last.get("signal") == signal.SIGXCPU:
            answer = ended("limit", "the cell ran out of CPU time")
        else:
            answer = ended("killed", "the session's interpreter exited (%s)" % last.get("exited", "no answer"))
        answer["broken"] = True
    answer["durationMs"] = (time.monotonic() - started) * 1000
    if not key or answer.pop("broken", False):
        session.end()
        if key:
            sessions.pop(key, None)
    return answer

sessions = {}
send({"ready": True, "provenance": {
    "executable": sys.executable,
    "python": sys.version.split()[0],
    "numpy": version("numpy"),
    "sympy": version("sympy"),
    "scipy": version("scipy"),
    "mpmath": version("mpmath"),
}})
for line in incoming:
    request = json.loads(line)
    if request["op"] == "end":
        session = sessions.pop(request["session"], None)
        if session:
            session.end()
    else:
        answer = run(request, sessions)
        answer["id"] = request["id"]
        send(answer)
    reap()
`;

/** The worker's source: the shared cell code, then the worker itself. */
export const NATIVE_REPL_SOURCE = NOTEBOOK_PY + QWEN_PY + MAIN_PY;
