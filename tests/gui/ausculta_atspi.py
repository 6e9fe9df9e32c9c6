# SPDX-License-Identifier: GPL-3.0-or-later
"""What the AT-SPI tests share: TAP lines, the skip when there is no
session to drive, waiting, and finding the app and its widgets."""
import os, subprocess, sys, time

def tap(ok, n, name, note=''):
    print('%s %d %s%s' % ('ok' if ok else 'not ok', n, name, (' # ' + note) if note else ''))
    sys.stdout.flush()

def skip_without_session():
    """Exits with a TAP skip when there is no display, no session bus or
    no pyatspi; returns the pyatspi module otherwise."""
    if not os.environ.get('DISPLAY') or not os.environ.get('DBUS_SESSION_BUS_ADDRESS'):
        print('1..0 # SKIP needs a display and a session bus')
        sys.exit(0)
    try:
        import pyatspi
    except ImportError:
        print('1..0 # SKIP python3-pyatspi is not installed')
        sys.exit(0)
    return pyatspi

def wait_for(fn, timeout=30.0):
    end = time.time() + timeout
    while time.time() < end:
        try:
            r = fn()
        except Exception:
            r = None
        if r is not None:
            return r
        time.sleep(0.2)
    return None

def find_app(pid):
    import pyatspi
    desktop = pyatspi.Registry.getDesktop(0)
    for i in range(desktop.childCount):
        a = desktop.getChildAtIndex(i)
        if a is not None and a.name == 'ausculta' and a.get_process_id() == pid:
            return a
    return None

def find(root, role, name):
    import pyatspi
    # GTK 4.8 names a button with a mnemonic "_Start Start".
    return pyatspi.findDescendant(root, lambda a: a is not None and a.getRoleName() == role
                                  and (a.name == name or a.name.endswith(' ' + name)))

def terminate(app):
    app.terminate()
    try:
        app.wait(10)
    except subprocess.TimeoutExpired:
        app.kill()
