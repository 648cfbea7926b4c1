"""Drive a real JupyterLab in headless Chromium, for tests/test_browser.py.

- `chromium()`: Debian's Chromium (installed with apt-get when missing and we are root), or the
  reason it cannot be had (the browser test is then skipped with that reason).
- `LabServer`: `jupyter lab` on a free localhost port with a token and --no-browser, with its own
  temporary runtime, config, settings and workspace folders, serving a temporary COPY of the
  notebooks, so that nothing it does (autosave included) touches the stored ones.
- `open_notebook`, `wait_kernel`, `start_run_all`/`wait_run_all`, `widget_outputs`, `move_slider`, `click_track`, `fit`:
  what the test does in the page.

Latency is measured in the page's own clock: from the input event (key press or pointer down on
the slider) to the moment the figure/value the widget drives has changed and its new image is
decoded, i.e. what a lecturer sees.
"""
from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

# JupyterLab user settings for a clean, quiet, non-autosaving session that keeps every cell in the DOM.
LAB_SETTINGS = {
    "@jupyterlab/docmanager-extension/plugin.jupyterlab-settings": {"autosave": False},
    "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    "@jupyterlab/apputils-extension/notification.jupyterlab-settings": {"fetchNews": "false",
                                                                        "checkForUpdates": False},
}


def chromium() -> tuple[str | None, str]:
    """(path, '') of a Chromium binary, else (None, why not). `GANLAB_CHROMIUM` overrides the path.
    Installs Debian's `chromium` with apt-get when it is missing and we run as root."""
    wanted = os.environ.get("GANLAB_CHROMIUM")
    if wanted:
        return (wanted, "") if Path(wanted).exists() else (None, f"GANLAB_CHROMIUM={wanted!r} does not exist")
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found, ""
    if not shutil.which("apt-get"):
        return None, "Chromium is not installed and there is no apt-get to install it (set GANLAB_CHROMIUM)"
    if os.geteuid() != 0:
        return None, "Chromium is not installed and installing it needs root: sudo apt-get install -y chromium"
    print("installing Debian's chromium with apt-get (once) ...", file=sys.stderr, flush=True)
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "chromium"]):
        done = subprocess.run(cmd, env=env, capture_output=True, text=True, timeout=900)
        if done.returncode:
            return None, f"`{' '.join(cmd)}` failed: {done.stderr.strip()[-300:]}"
    found = shutil.which("chromium")
    return (found, "") if found else (None, "apt-get installed chromium but no `chromium` is on PATH")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class LabServer:
    """`with LabServer(notebooks, env) as lab:` serves copies of `notebooks` (paths) on lab.url."""

    def __init__(self, notebooks: list[Path], env: dict | None = None, startup_timeout: float = 120):
        self.tmp = Path(tempfile.mkdtemp(prefix="ganlab-lab-"))
        self.root = self.tmp / "root"
        self.root.mkdir()
        for nb in notebooks:
            shutil.copy(nb, self.root / Path(nb).name)
        settings = self.tmp / "settings"
        for name, values in LAB_SETTINGS.items():
            (settings / name).parent.mkdir(parents=True, exist_ok=True)
            (settings / name).write_text(json.dumps(values))
        self.port, self.token = free_port(), os.urandom(16).hex()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = {**os.environ, **(env or {}), "JUPYTER_RUNTIME_DIR": str(self.tmp / "runtime"),
                    "JUPYTER_CONFIG_DIR": str(self.tmp / "config"), "JUPYTER_PLATFORM_DIRS": "1",
                    "GANLAB_FIGURES": str(self.tmp / "figures")}
        self.env.pop("MPLBACKEND", None)  # the kernel uses the inline backend, as a student's does
        self.startup_timeout = startup_timeout
        self.proc = None

    def __enter__(self) -> "LabServer":
        jupyter = Path(sys.executable).with_name("jupyter")
        cmd = [str(jupyter) if jupyter.exists() else "jupyter", "lab", "--no-browser", "--ip=127.0.0.1",
               f"--port={self.port}", "--ServerApp.port_retries=0", f"--IdentityProvider.token={self.token}",
               f"--ServerApp.root_dir={self.root}", f"--LabApp.user_settings_dir={self.tmp / 'settings'}",
               f"--LabApp.workspaces_dir={self.tmp / 'workspaces'}", "--LabApp.expose_app_in_browser=True",
               "--LabServerApp.open_browser=False", "--LanguageServerManager.autodetect=False"]
        if os.geteuid() == 0:
            cmd.append("--allow-root")  # containers and CI often run as root
        self.log = open(self.tmp / "lab.log", "w")
        self.proc = subprocess.Popen(cmd, env=self.env, stdout=self.log, stderr=subprocess.STDOUT,
                                     start_new_session=True)
        deadline = time.monotonic() + self.startup_timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                log = self.log_tail()
                self.__exit__()
                raise RuntimeError(f"jupyter lab exited with {self.proc.returncode}:\n{log}")
            try:
                with urllib.request.urlopen(f"{self.url}/api/status?token={self.token}", timeout=5) as r:
                    if r.status == 200:
                        return self
            except OSError:
                time.sleep(0.5)
        log = self.log_tail()
        self.__exit__()
        raise TimeoutError(f"jupyter lab did not answer in {self.startup_timeout} s:\n{log}")

    def log_tail(self, n: int = 3000) -> str:
        self.log.flush()
        return (self.tmp / "lab.log").read_text()[-n:]

    def __exit__(self, *exc) -> None:
        if self.proc is not None and self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGTERM)  # the server and the kernels it started
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.tmp, ignore_errors=True)

    def notebook_url(self, name: str) -> str:
        return f"{self.url}/lab/tree/{name}?token={self.token}"


def open_notebook(page, lab: LabServer, name: str, timeout_ms: int = 120_000) -> None:
    """Load JupyterLab with a notebook open (its kernel starts; see `wait_kernel`)."""
    page.goto(lab.notebook_url(name), timeout=timeout_ms)


def wait_kernel(page, name: str, timeout_ms: int = 180_000) -> None:
    """Wait until the notebook's kernel is idle, and hide the side bars (a lecture's view)."""
    page.wait_for_function("""(name) => {
        const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
        return w && w.context && w.context.path.endsWith(name) && w.sessionContext
               && w.sessionContext.session && w.sessionContext.session.kernel
               && w.sessionContext.session.kernel.status === 'idle';
    }""", arg=name, timeout=timeout_ms, polling=250)
    page.evaluate("() => { window.jupyterapp.shell.collapseLeft(); window.jupyterapp.shell.collapseRight(); }")


def start_run_all(page) -> None:
    """Clear the stored outputs and start JupyterLab's Run All (returns at once; see `wait_run_all`)."""
    page.evaluate("""() => {
        const app = window.jupyterapp;
        window.__runAll = {done: false, t0: performance.now()};
        app.commands.execute('notebook:clear-all-cell-outputs')
          .then(() => app.commands.execute('notebook:run-all-cells'))
          .then(ok => { Object.assign(window.__runAll, {done: true, ok: ok}); },
                err => { Object.assign(window.__runAll, {done: true, ok: false, error: String(err)}); })
          .then(() => { window.__runAll.seconds = (performance.now() - window.__runAll.t0) / 1000; });
    }""")


def wait_run_all(page, timeout_ms: int) -> float:
    """Wait until Run All has finished; raise with the error output if a cell failed; return its seconds."""
    page.wait_for_function("window.__runAll.done && window.__runAll.seconds !== undefined",
                           timeout=timeout_ms, polling=500)
    result = page.evaluate("window.__runAll")
    errors = page.locator(".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']")
    tracebacks = [t for t in errors.all_inner_texts() if "Traceback" in t]
    if not result.get("ok") or tracebacks:
        raise AssertionError(f"Run All failed ({result}):\n" + "\n".join(t[-2000:] for t in tracebacks))
    return result["seconds"]


# The state a widget's sliders drive: its images' sources when it has images (the figure is what a
# lecturer waits for), else the text of its non-slider widgets (a value it prints).
DRIVEN_STATE_JS = """(out) => {
    const imgs = [...out.querySelectorAll('img')].map(i => i.src);
    if (imgs.length) return JSON.stringify(imgs);
    const texts = [...out.querySelectorAll('.widget-html-content, .widget-output, .widget-label-basic, .widget-valid')]
        .filter(e => !e.closest('.widget-slider')).map(e => e.innerText);
    return JSON.stringify(texts);
}"""


def widget_outputs(page):
    """Locators of the cell outputs that hold a live widget with at least one slider, in page order."""
    outputs = page.locator(".jp-OutputArea-output:has(.jupyter-widgets .widget-slider)")
    return [outputs.nth(i) for i in range(outputs.count())]


def arm_latency_probe(output) -> None:
    """Start watching `output`: the next key/pointer event on the page starts the clock; the clock
    stops when the driven state differs from now and every image in the output is decoded."""
    output.evaluate("""(out, stateJs) => {
        const state = eval(stateJs);
        const before = state(out);
        const probe = window.__probe = {t0: null, t1: null, before: before};
        const start = () => { if (probe.t0 === null) probe.t0 = performance.now(); };
        document.addEventListener('keydown', start, {capture: true, once: true});
        document.addEventListener('pointerdown', start, {capture: true, once: true});
        const check = () => {
            if (window.__probe !== probe || probe.t1 !== null || probe.t0 === null) return;
            if (state(out) === before) return;
            probe.changed = true;
            observer.disconnect();
            Promise.all([...out.querySelectorAll('img')].map(i => i.decode().catch(() => null)))
              .then(() => { probe.t1 = performance.now(); });
        };
        const observer = new MutationObserver(check);
        observer.observe(out, {subtree: true, childList: true, attributes: true, characterData: true,
                               attributeFilter: ['src']});
        probe.poll = setInterval(() => { check(); if (probe.t1 !== null) clearInterval(probe.poll); }, 5);
    }""", DRIVEN_STATE_JS)


def wait_latency(page, timeout_ms: int) -> float:
    """Milliseconds from the input event to the new figure/value (see `arm_latency_probe`)."""
    page.wait_for_function("window.__probe && window.__probe.t1 !== null", timeout=timeout_ms, polling=10)
    return page.evaluate("window.__probe.t1 - window.__probe.t0")


def move_slider(page, output, slider, key: str, timeout_ms: int) -> float:
    """Press `key` (PageUp, PageDown, ArrowRight, ...) on the slider's handle and return the latency (ms)."""
    handle = slider.locator(".noUi-handle").first
    handle.focus()
    arm_latency_probe(output)
    handle.press(key)
    return wait_latency(page, timeout_ms)


def click_track(page, output, slider, fraction: float, timeout_ms: int) -> float:
    """Click the slider's track at `fraction` of its length (the handle jumps there); latency in ms."""
    track = slider.locator(".noUi-target").first
    track.scroll_into_view_if_needed()  # an element screenshot may have scrolled it away
    box = track.bounding_box()
    arm_latency_probe(output)
    page.mouse.click(box["x"] + fraction * box["width"], box["y"] + box["height"] / 2)
    return wait_latency(page, timeout_ms)


def image_png(img) -> bytes:
    """The picture an <img> in the page shows, as PNG bytes (drawn from the decoded image, so it
    works for images taller than the screen, where an element screenshot would be clipped)."""
    data_url = img.evaluate("""(i) => {
        const c = document.createElement('canvas');
        c.width = i.naturalWidth; c.height = i.naturalHeight;
        c.getContext('2d').drawImage(i, 0, 0);
        return c.toDataURL('image/png');
    }""")
    return base64.b64decode(data_url.split(",", 1)[1])


def slider_positions(slider) -> int:
    """How many values the slider can take (noUiSlider's range and step)."""
    return slider.evaluate("""(s) => {
        const o = s.querySelector('.noUi-target').noUiSlider.options;
        return Math.round((o.range.max - o.range.min) / (o.step || 1)) + 1;
    }""")


def handle_fraction(slider) -> float:
    """Where the slider's handle sits along its track, 0 (left) to 1 (right)."""
    return slider.evaluate("""(s) => {
        const t = s.querySelector('.noUi-target').getBoundingClientRect();
        const h = s.querySelector('.noUi-handle').getBoundingClientRect();
        return (h.left + h.width / 2 - t.left) / Math.max(t.width, 1);
    }""")


def fit(output, viewport: dict) -> dict:
    """How the widget in `output` fits the screen: its size, the room the notebook gives it, and the
    overflow in pixels (width beyond the output area, height beyond the notebook's visible height)."""
    return output.evaluate("""(out, vp) => {
        const widget = out.querySelector('.jupyter-widgets');
        const r = widget.getBoundingClientRect();
        const panel = out.closest('.jp-WindowedPanel-outer, .jp-Notebook') || document.body;
        const room = {width: out.clientWidth, height: panel.getBoundingClientRect().height};
        return {width: Math.round(Math.max(r.width, widget.scrollWidth)), height: Math.round(r.height),
                room_width: room.width, room_height: Math.round(room.height),
                overflow_x: Math.max(0, Math.round(Math.max(r.width, widget.scrollWidth) - room.width)),
                overflow_y: Math.max(0, Math.round(r.height - room.height)),
                images: [...out.querySelectorAll('img')].map(i => {
                    const b = i.getBoundingClientRect();
                    return {png: [i.naturalWidth, i.naturalHeight], shown: [Math.round(b.width), Math.round(b.height)]};
                }),
                viewport: vp};
    }""", viewport)
