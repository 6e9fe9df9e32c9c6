#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Flatpak manifest parses for flatpak-builder with an empty stderr (it
exits 0 even on unknown keys), targets the GNOME 43 runtime, and pins every
downloaded source with a SHA-256."""
import json, re, subprocess, sys

manifest = sys.argv[1]
with open(manifest, encoding='utf-8') as f:
    data = json.load(f)

problems = []
if (data.get('runtime'), data.get('runtime-version')) != ('org.gnome.Platform', '43'):
    problems.append('runtime is not org.gnome.Platform 43')
if data.get('id') != 'io.github.ausculta.Ausculta':
    problems.append('unexpected application id %r' % data.get('id'))
for module in data['modules']:
    for source in module.get('sources', []):
        if source.get('type') in ('archive', 'file'):
            if not source.get('url', '').startswith(('https://', 'http://')):
                problems.append('%s: source without a URL' % module['name'])
            if not re.fullmatch(r'[0-9a-f]{64}', source.get('sha256', '')):
                problems.append('%s: source without a sha256' % module['name'])
if data['modules'][-1]['name'] != 'ausculta':
    problems.append('the app is not the last module')

run = subprocess.run(['flatpak-builder', '--show-manifest', manifest],
                     capture_output=True, text=True)
if run.returncode != 0 or run.stderr.strip():
    problems.append('flatpak-builder --show-manifest: rc %d, stderr: %s'
                    % (run.returncode, run.stderr.strip()))

for p in problems:
    print('# ' + p)
print('1..1')
print(('not ok' if problems else 'ok') + ' 1 /ausculta/gui/flatpak/manifest')
sys.exit(1 if problems else 0)
