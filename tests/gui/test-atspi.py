#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The app as a user drives it, through the accessibility tree (AT-SPI):
log in with a PIN, type a serial into the Serial number field, press
Start, wait for the verdict banner, read the shift counters. The users
are made with ausculta-cli, as an administrator would. Runs the real executable on the
simulated bench with a fresh archive and one-second runs.

Needs a display and a session bus (xvfb-run outside dbus-run-session), and
GTK_A11Y must not be "none" for the app: it is removed from its
environment here."""
import configparser, os, shutil, subprocess, sys, tempfile, time

from ausculta_atspi import find, find_app, skip_without_session, tap, terminate, wait_for

pyatspi = skip_without_session()
app_path, data_dir = sys.argv[1], sys.argv[2]
work = tempfile.mkdtemp(prefix='ausculta-atspi-')
profile = configparser.ConfigParser(interpolation=None, strict=False)
profile.optionxform = str
profile.read(os.path.join(data_dir, 'profiles', 'default.ini'), encoding='utf-8')
profile['run down']['duration'] = '1'
profile['run up']['duration'] = '1'
short = os.path.join(work, 'short.ini')
with open(short, 'w', encoding='utf-8') as f:
    profile.write(f)

env = dict(os.environ)
env.pop('GTK_A11Y', None)
env.update(XDG_DATA_HOME=os.path.join(work, 'data'), XDG_CONFIG_HOME=os.path.join(work, 'config'),
           XDG_CACHE_HOME=os.path.join(work, 'cache'), AUSCULTA_PROFILE=short,
           AUSCULTA_SOURCE='simulator', LANGUAGE='en', LANG='C.UTF-8')
env.pop('AUSCULTA_ARCHIVE', None)
archive = os.path.join(work, 'data', 'ausculta', 'archive.sqlite')
cli = os.environ['AUSCULTA_CLI']
for args, secrets in ((['add', 'alice', '--role', 'admin', '--pin'], 'alice pw 123\n1234\n'),
                      (['add', 'bob', '--role', 'inspector', '--pin', '--as', 'alice',
                        '--full-name', 'Bob Inspector'], 'alice pw 123\nbob pw 456\n4321\n')):
    subprocess.run([cli, 'users'] + args + ['--archive', archive], input=secrets, text=True,
                   env=env, check=True, stdout=subprocess.DEVNULL)
app = subprocess.Popen([app_path], env=env, stdout=subprocess.DEVNULL, stderr=sys.stderr)
# The second session's bench: a motor with an unbalance and a commutator
# fault, which the shipped demo model rejects.
FAULTY = 'simulator:unbalance+commutator'

def log_in_and_start(root, serial):
    user = wait_for(lambda: find(root, 'text', 'User'))
    secret = wait_for(lambda: find(root, 'password text', 'PIN or password'))
    login = wait_for(lambda: find(root, 'push button', 'Log In'))
    if user is None or secret is None or login is None:
        return None
    user.queryEditableText().setTextContents('bob')
    secret.queryEditableText().setTextContents('4321')
    time.sleep(0.4)
    login.queryAction().doAction(0)
    if wait_for(lambda: find(root, 'label', 'Bob Inspector (inspector)'), 30) is None:
        return None
    entry = wait_for(lambda: find(root, 'text', 'Serial number'))
    start = wait_for(lambda: find(root, 'push button', 'Start'))
    if entry is None or start is None:
        return None
    entry.queryEditableText().setTextContents(serial)
    time.sleep(0.4)
    start.queryAction().doAction(0)
    return start

def faulty_motor_session():
    """A new session on the faulty bench: the banner says NOK and why."""
    faulty_env = dict(env, AUSCULTA_SOURCE=FAULTY)
    app = subprocess.Popen([app_path], env=faulty_env, stdout=subprocess.DEVNULL, stderr=sys.stderr)
    try:
        def other_app():
            desktop = pyatspi.Registry.getDesktop(0)
            for i in range(desktop.childCount):
                a = desktop.getChildAtIndex(i)
                if a is not None and a.name == 'ausculta' and a.get_process_id() == app.pid:
                    return a
        root = wait_for(other_app, 60)
        if root is None or log_in_and_start(root, 'SN-ATSPI-FAULT') is None:
            return None, 'could not start'
        nok = wait_for(lambda: find(root, 'label', 'NOK'), 90)
        # The reasons: the features that weigh most, "G32_vib_up 3 %, ..."
        # (microphone or accelerometer bands, whichever weigh most).
        reasons = wait_for(lambda: pyatspi.findDescendant(root, lambda a: a is not None
                           and a.getRoleName() == 'label'
                           and ('_vib_' in a.name or '_AC_' in a.name) and '%' in a.name), 5)
        return (nok is not None and reasons is not None,
                'NOK' if nok is not None else 'no NOK', reasons.name if reasons else 'no reasons')
    finally:
        terminate(app)

print('1..6')
status = 0
try:
    # A loaded machine may take a while to register the app on the bus.
    root = wait_for(lambda: find_app(app.pid), 60)
    tap(root is not None, 1, '/ausculta/gui/atspi/app-appears')
    if root is None:
        raise SystemExit(1)
    user = wait_for(lambda: find(root, 'text', 'User'))
    secret = wait_for(lambda: find(root, 'password text', 'PIN or password'))
    login = wait_for(lambda: find(root, 'push button', 'Log In'))
    if user is not None and secret is not None and login is not None:
        user.queryEditableText().setTextContents('bob')
        secret.queryEditableText().setTextContents('4321')
        time.sleep(0.4)
        login.queryAction().doAction(0)
    who = wait_for(lambda: find(root, 'label', 'Bob Inspector (inspector)'), 30)
    tap(who is not None, 2, '/ausculta/gui/atspi/login')
    if who is None:
        raise SystemExit(1)
    entry = wait_for(lambda: find(root, 'text', 'Serial number'))
    start = wait_for(lambda: find(root, 'push button', 'Start'))
    stop = wait_for(lambda: find(root, 'push button', 'Stop'))
    ok = entry is not None and start is not None and stop is not None
    ok = ok and not stop.getState().contains(pyatspi.STATE_SENSITIVE)
    tap(ok, 3, '/ausculta/gui/atspi/serial-and-start')
    if not ok:
        raise SystemExit(1)
    entry.queryEditableText().setTextContents('SN-ATSPI-1')
    time.sleep(0.4)
    start.queryAction().doAction(0)
    # While the motor runs, Stop is the button that can be pressed.
    running = wait_for(lambda: True if stop.getState().contains(pyatspi.STATE_SENSITIVE)
                       else None, 10)
    tap(running is not None, 4, '/ausculta/gui/atspi/measuring')
    verdict = wait_for(lambda: find(root, 'label', 'No Verdict') or find(root, 'label', 'OK')
                       or find(root, 'label', 'NOK') or find(root, 'label', 'REPEAT'), 90)
    counters = wait_for(lambda: pyatspi.findDescendant(root, lambda a: a is not None
                        and a.getRoleName() == 'label' and a.name.startswith('OK ')), 5)
    done = verdict is not None and counters is not None
    tap(done, 5, '/ausculta/gui/atspi/verdict-shown',
        '%s; %s' % (verdict.name if verdict else 'no verdict', counters.name if counters else ''))
    status = 0 if (running is not None and done) else 1
    terminate(app)
    result = faulty_motor_session()
    tap(bool(result[0]), 6, '/ausculta/gui/atspi/fault-shows-nok-and-reason',
        '%s; %s' % tuple(result[1:]) if len(result) == 3 else result[1])
    if not result[0]:
        status = 1
except SystemExit as e:
    status = e.code or 1
finally:
    terminate(app)
    shutil.rmtree(work, ignore_errors=True)
sys.exit(status)
