#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A test double of an MLflow 2.7.1 tracking server (what DagsHub runs),
written from ../shared/reference/mlflow-rest.md: only what that contract
says, for the routes the sync client uses.

JSON errors {"error_code", "message"} with the documented HTTP codes, HTML
pages for unknown routes (404) and wrong methods (405), plain-text 401,
empty lists omitted, param values <= 500 characters, a changed param is a
400 and the same one is accepted, model versions are strings, an unknown
alias is a 400, a missing artifact a 500.

Test controls (not MLflow): GET /__double__/state (everything it holds and
how many requests each route got), POST /__double__/control with any of
  fail_status, fail_count   answer the next fail_count API requests with it
  delay                     seconds to wait before answering
  no_registry               registry routes answer 404 (DagsHub without one)
  corrupt                   artifact path whose stored bytes get flipped
Options: --auth USER:TOKEN (HTTP Basic required). First line "PORT <n>".
"""

import argparse
import base64
import hashlib
import json
import os
import re
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, unquote, urlparse

MAX_PARAM_VALUE = 500
MAX_TAG_VALUE = 5000

HTML_404 = (b'<!doctype html>\n<html lang=en>\n<title>404 Not Found</title>\n'
            b'<h1>Not Found</h1>\n<p>The requested URL was not found on the server.</p>\n')
HTML_405 = (b'<!doctype html>\n<html lang=en>\n<title>405 Method Not Allowed</title>\n'
            b'<h1>Method Not Allowed</h1>\n<p>The method is not allowed for the requested URL.</p>\n')


class ApiError(Exception):
    STATUS = {'INVALID_PARAMETER_VALUE': 400, 'RESOURCE_ALREADY_EXISTS': 400,
              'RESOURCE_DOES_NOT_EXIST': 404, 'INTERNAL_ERROR': 500}

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def now_ms():
    return int(time.time() * 1000)


def missing(name):
    return ApiError('INVALID_PARAMETER_VALUE',
                    "Missing value for required parameter '%s'. See the API docs for more "
                    "information about request parameters." % name)


def require(body, *names):
    for name in names:
        if body.get(name) in (None, ''):
            raise missing(name)


def tag_list(tags):
    return [{'key': k, 'value': v} for k, v in tags.items()]


class Store:
    def __init__(self):
        self.lock = threading.Lock()
        self.experiments = {}
        self.runs = {}
        self.artifacts = {}
        self.models = {}
        self.requests = {}
        self.control = {'fail_status': 0, 'fail_count': 0, 'delay': 0.0, 'no_registry': False}

    # tracking ---------------------------------------------------------------
    def experiment_json(self, e):
        out = {k: e[k] for k in ('experiment_id', 'name', 'artifact_location', 'lifecycle_stage',
                                 'last_update_time', 'creation_time')}
        if e['tags']:
            out['tags'] = tag_list(e['tags'])
        return out

    def get_experiment_by_name(self, q, body):
        name = q.get('experiment_name')
        if not name:
            raise missing('experiment_name')
        for e in self.experiments.values():
            if e['name'] == name:
                return {'experiment': self.experiment_json(e)}
        raise ApiError('RESOURCE_DOES_NOT_EXIST', "Could not find experiment with name '%s'" % name)

    def create_experiment(self, q, body):
        require(body, 'name')
        if any(e['name'] == body['name'] for e in self.experiments.values()):
            raise ApiError('RESOURCE_ALREADY_EXISTS',
                           'Experiment(name=%s) already exists. Error: (sqlite3.IntegrityError) '
                           'UNIQUE constraint failed: experiments.name' % body['name'])
        eid = str(len(self.experiments) + 1)
        self.experiments[eid] = {'experiment_id': eid, 'name': body['name'],
                                 'artifact_location': 'mlflow-artifacts:/%s' % eid,
                                 'lifecycle_stage': 'active', 'creation_time': now_ms(),
                                 'last_update_time': now_ms(),
                                 'tags': {t['key']: t['value'] for t in body.get('tags', [])}}
        return {'experiment_id': eid}

    def run_or_404(self, run_id):
        if not run_id:
            raise missing('run_id')
        if run_id not in self.runs:
            raise ApiError('RESOURCE_DOES_NOT_EXIST', 'Run with id=%s not found' % run_id)
        return self.runs[run_id]

    def run_json(self, r):
        latest = {}
        for m in r['metrics']:
            latest[m['key']] = m
        data = {}
        if latest:
            data['metrics'] = list(latest.values())
        if r['params']:
            data['params'] = tag_list(r['params'])
        if r['tags']:
            data['tags'] = tag_list(r['tags'])
        return {'info': dict(r['info']), 'data': data, 'inputs': {}}

    def create_run(self, q, body):
        eid = body.get('experiment_id')
        if eid not in self.experiments:
            raise ApiError('RESOURCE_DOES_NOT_EXIST', 'No Experiment with id=%s exists' % eid)
        rid = uuid.uuid4().hex
        name = body.get('run_name') or 'enthused-deer-94'
        tags = {t['key']: t['value'] for t in body.get('tags', [])}
        tags['mlflow.runName'] = name
        self.runs[rid] = {
            'info': {'run_uuid': rid, 'run_id': rid, 'experiment_id': eid, 'run_name': name,
                     'user_id': body.get('user_id', ''), 'status': 'RUNNING',
                     'start_time': int(body.get('start_time', 0)),
                     'artifact_uri': 'mlflow-artifacts:/%s/%s/artifacts' % (eid, rid),
                     'lifecycle_stage': 'active'},
            'params': {}, 'metrics': [], 'tags': tags}
        return {'run': self.run_json(self.runs[rid])}

    def get_run(self, q, body):
        return {'run': self.run_json(self.run_or_404(q.get('run_id')))}

    def search_runs(self, q, body):
        ids = body.get('experiment_ids', [])
        flt = body.get('filter', '') or ''
        match = re.fullmatch(r"\s*tags\.(`?)([\w.]+)\1\s*=\s*'([^']*)'\s*", flt)
        if flt and not match:
            raise ApiError('INVALID_PARAMETER_VALUE', "Invalid filter '%s'" % flt)
        runs = [r for r in self.runs.values() if r['info']['experiment_id'] in ids
                and (not match or r['tags'].get(match.group(2)) == match.group(3))]
        return {'runs': [self.run_json(r) for r in runs]} if runs else {}

    def check_param(self, run, key, value):
        value = str(value)
        if len(value) > MAX_PARAM_VALUE:
            raise ApiError('INVALID_PARAMETER_VALUE',
                           "Param value '%s' had length %d, which exceeded length limit of %d"
                           % (value, len(value), MAX_PARAM_VALUE))
        old = run['params'].get(key)
        if old is not None and old != value:
            raise ApiError('INVALID_PARAMETER_VALUE',
                           "Changing param values is not allowed. Param with key='%s' was already "
                           "logged with value='%s' for run ID='%s'. Attempted logging new value "
                           "'%s'." % (key, old, run['info']['run_id'], value))
        return value

    def add_metric(self, run, m):
        if m.get('value') is None:
            raise missing('value')
        entry = {'key': m['key'], 'value': m['value'], 'timestamp': int(m.get('timestamp', 0)),
                 'step': int(m.get('step', 0))}
        if entry not in run['metrics']:   # the SQL store merges an identical row
            run['metrics'].append(entry)

    def log_batch(self, q, body):
        run = self.run_or_404(body.get('run_id'))
        metrics, params, tags = body.get('metrics', []), body.get('params', []), body.get('tags', [])
        if len(metrics) > 1000 or len(params) > 100 or len(tags) > 100:
            raise ApiError('INVALID_PARAMETER_VALUE', 'A batch logging request is too large.')
        keys = [p['key'] for p in params]
        if len(keys) != len(set(keys)):
            raise ApiError('INVALID_PARAMETER_VALUE', 'Duplicate parameter keys have been submitted.')
        checked = {p['key']: self.check_param(run, p['key'], p['value']) for p in params}
        run['params'].update(checked)
        for m in metrics:
            self.add_metric(run, m)
        for t in tags:
            run['tags'][t['key']] = t['value']
        return {}

    def log_param(self, q, body):
        run = self.run_or_404(body.get('run_id'))
        require(body, 'key', 'value')
        run['params'][body['key']] = self.check_param(run, body['key'], body['value'])
        return {}

    def log_metric(self, q, body):
        run = self.run_or_404(body.get('run_id'))
        require(body, 'key', 'timestamp')
        self.add_metric(run, body)
        return {}

    def set_tag(self, q, body):
        run = self.run_or_404(body.get('run_id'))
        require(body, 'key', 'value')
        if len(body['value']) > MAX_TAG_VALUE:
            raise ApiError('INVALID_PARAMETER_VALUE', "Tag value '%s' had length %d, which exceeded "
                           "length limit of %d" % (body['value'], len(body['value']), MAX_TAG_VALUE))
        run['tags'][body['key']] = body['value']
        return {}

    def update_run(self, q, body):
        run = self.run_or_404(body.get('run_id'))
        if body.get('status') in ('RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'):
            run['info']['status'] = body['status']
        if 'end_time' in body:
            run['info']['end_time'] = int(body['end_time'])
        return {'run_info': dict(run['info'])}

    # registry ---------------------------------------------------------------
    def model_or_404(self, name):
        if not name:
            raise missing('name')
        if name not in self.models:
            raise ApiError('RESOURCE_DOES_NOT_EXIST', 'Registered Model with name=%s not found' % name)
        return self.models[name]

    def version_json(self, model, v):
        out = dict(v)
        out['tags'] = tag_list(v['tags'])
        if not out['tags']:
            del out['tags']
        aliases = [a for a, n in model['aliases'].items() if n == v['version']]
        if aliases:
            out['aliases'] = aliases
        return out

    def create_model(self, q, body):
        require(body, 'name')
        if body['name'] in self.models:
            raise ApiError('RESOURCE_ALREADY_EXISTS', 'Registered Model (name=%s) already exists. '
                           'Error: (sqlite3.IntegrityError) UNIQUE constraint failed' % body['name'])
        self.models[body['name']] = {'name': body['name'], 'creation_timestamp': now_ms(),
                                     'versions': [], 'aliases': {},
                                     'tags': {t['key']: t['value'] for t in body.get('tags', [])}}
        return {'registered_model': {'name': body['name'],
                                     'creation_timestamp': self.models[body['name']]['creation_timestamp']}}

    def create_version(self, q, body):
        require(body, 'name', 'source')
        model = self.model_or_404(body['name'])
        v = {'name': model['name'], 'version': str(len(model['versions']) + 1),
             'creation_timestamp': now_ms(), 'last_updated_timestamp': now_ms(),
             'current_stage': 'None', 'description': body.get('description', ''),
             'source': body['source'], 'run_id': body.get('run_id', ''), 'status': 'READY',
             'run_link': '', 'tags': {t['key']: t['value'] for t in body.get('tags', [])}}
        model['versions'].append(v)
        return {'model_version': self.version_json(model, v)}

    def version_or_404(self, name, version):
        model = self.model_or_404(name)
        if not version:
            raise missing('version')
        if not str(version).isdigit():
            raise ApiError('INVALID_PARAMETER_VALUE', "Model version must be an integer, got '%s'" % version)
        for v in model['versions']:
            if v['version'] == str(version):
                return model, v
        raise ApiError('RESOURCE_DOES_NOT_EXIST',
                       'Model Version (name=%s, version=%s) not found' % (name, version))

    def get_version(self, q, body):
        model, v = self.version_or_404(q.get('name'), q.get('version'))
        return {'model_version': self.version_json(model, v)}

    def search_versions(self, q, body):
        flt = q.get('filter', '')
        match = re.fullmatch(r"\s*(name|run_id)\s*=\s*'([^']*)'\s*", flt) if flt else None
        if flt and not match:
            raise ApiError('INVALID_PARAMETER_VALUE', "Invalid filter '%s'" % flt)
        found = [self.version_json(m, v) for m in self.models.values() for v in m['versions']
                 if not match or v[match.group(1)] == match.group(2)]
        return {'model_versions': found} if found else {}

    def set_version_tag(self, q, body):
        require(body, 'name', 'version', 'key', 'value')
        model, v = self.version_or_404(body['name'], body['version'])
        v['tags'][body['key']] = body['value']
        return {}

    def alias(self, q, body, method):
        if method == 'GET':
            model = self.models.get(q.get('name'))
            alias = q.get('alias')
            if model is None or alias not in model['aliases']:
                raise ApiError('INVALID_PARAMETER_VALUE', 'Registered model alias %s not found.' % alias)
            _, v = self.version_or_404(model['name'], model['aliases'][alias])
            return {'model_version': self.version_json(model, v)}
        require(body, 'name', 'alias')
        if method == 'DELETE':
            self.model_or_404(body['name'])['aliases'].pop(body['alias'], None)
            return {}
        require(body, 'version')
        alias = body['alias']
        if alias.lower() == 'latest' or re.fullmatch(r'v\d+', alias):
            raise ApiError('INVALID_PARAMETER_VALUE', "Version alias name '%s' is reserved." % alias)
        model, v = self.version_or_404(body['name'], body['version'])
        model['aliases'][alias] = v['version']
        return {}

    def state(self):
        return {'experiments': list(self.experiments.values()), 'runs': self.runs,
                'models': self.models, 'requests': self.requests,
                'artifacts': {k: len(v) for k, v in self.artifacts.items()},
                'artifact_sha256': {k: hashlib.sha256(v).hexdigest()
                                    for k, v in self.artifacts.items()}}


ROUTES = {
    ('GET', 'experiments/get-by-name'): Store.get_experiment_by_name,
    ('POST', 'experiments/create'): Store.create_experiment,
    ('POST', 'runs/create'): Store.create_run,
    ('GET', 'runs/get'): Store.get_run,
    ('POST', 'runs/search'): Store.search_runs,
    ('POST', 'runs/log-batch'): Store.log_batch,
    ('POST', 'runs/log-parameter'): Store.log_param,
    ('POST', 'runs/log-metric'): Store.log_metric,
    ('POST', 'runs/set-tag'): Store.set_tag,
    ('POST', 'runs/update'): Store.update_run,
    ('POST', 'registered-models/create'): Store.create_model,
    ('POST', 'model-versions/create'): Store.create_version,
    ('GET', 'model-versions/get'): Store.get_version,
    ('GET', 'model-versions/search'): Store.search_versions,
    ('POST', 'model-versions/set-tag'): Store.set_version_tag,
}
REGISTRY = ('registered-models/', 'model-versions/')


class Handler(BaseHTTPRequestHandler):
    protocol_version = 'HTTP/1.1'

    def log_message(self, *args):
        pass

    def send(self, status, body, content_type):
        self.send_response(status)
        self.send_header('Content-Type', content_type)
        self.send_header('Content-Length', str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def send_json(self, status, obj):
        self.send(status, json.dumps(obj).encode(), 'application/json')

    def read_body(self):
        length = int(self.headers.get('Content-Length') or 0)
        return self.rfile.read(length) if length else b''

    def authorised(self):
        if not self.server.auth:
            return True
        header = self.headers.get('Authorization', '')
        expected = 'Basic ' + base64.b64encode(self.server.auth.encode()).decode()
        return header == expected

    def handle_any(self, method):
        url = urlparse(self.path)
        raw = self.read_body()
        store = self.server.store
        if url.path.startswith('/__double__/'):
            return self.control(method, url.path, raw)
        time.sleep(store.control['delay'])
        if not self.authorised():
            return self.send(401, b'Unauthorized: bad credentials', 'text/plain')
        with store.lock:
            if store.control['fail_count'] > 0:
                store.control['fail_count'] -= 1
                status = store.control['fail_status']
                if status in (401, 403):   # basic-auth refusals are plain text
                    return self.send(status, b'Forbidden: no access to this repository',
                                     'text/plain')
                code = 'REQUEST_LIMIT_EXCEEDED' if status == 429 else 'TEMPORARILY_UNAVAILABLE'
                return self.send_json(status, {'error_code': code, 'message': 'try again later'})
        if url.path.startswith('/api/2.0/mlflow-artifacts/artifacts/'):
            return self.artifact(method, unquote(url.path[len('/api/2.0/mlflow-artifacts/artifacts/'):]), raw)
        for prefix in ('/api/2.0/mlflow/', '/ajax-api/2.0/mlflow/'):
            if url.path.startswith(prefix):
                return self.api(method, url.path[len(prefix):], url.query, raw)
        self.send(404, HTML_404, 'text/html; charset=utf-8')

    def api(self, method, route, query, raw):
        store = self.server.store
        q = {k: v[0] for k, v in parse_qs(query).items()}
        try:
            body = json.loads(raw) if raw else {}
        except ValueError:
            return self.send_json(400, {'error_code': 'MALFORMED_REQUEST', 'message': 'bad JSON'})
        with store.lock:
            store.requests[route] = store.requests.get(route, 0) + 1
            if store.control['no_registry'] and route.startswith(REGISTRY):
                return self.send_json(404, {'error_code': 'ENDPOINT_NOT_FOUND', 'message':
                                            'Model Registry features are not supported by the store'})
            try:
                if route == 'registered-models/alias' and method in ('GET', 'POST', 'DELETE'):
                    return self.send_json(200, store.alias(q, body, method))
                handler = ROUTES.get((method, route))
                if handler is None:
                    known = any(r == route for (_, r) in ROUTES)
                    return self.send(405 if known else 404, HTML_405 if known else HTML_404,
                                     'text/html; charset=utf-8')
                return self.send_json(200, handler(store, q, body))
            except ApiError as e:
                return self.send_json(ApiError.STATUS[e.code], {'error_code': e.code, 'message': e.message})

    def artifact(self, method, path, raw):
        store = self.server.store
        with store.lock:
            if method == 'PUT':
                store.artifacts[path] = raw
                return self.send_json(200, {})
            if method == 'GET' and path in store.artifacts:
                return self.send(200, store.artifacts[path], 'application/octet-stream')
        self.send_json(500, {'error_code': 'INTERNAL_ERROR', 'message':
                             'The following failures occurred while downloading one or more '
                             'artifacts: [Errno 2] No such file or directory: %s' % path})

    def control(self, method, path, raw):
        store = self.server.store
        with store.lock:
            if path == '/__double__/state':
                return self.send_json(200, store.state())
            settings = json.loads(raw or b'{}')
            corrupt = settings.pop('corrupt', None)
            if corrupt in store.artifacts:
                data = bytearray(store.artifacts[corrupt])
                data[-1] ^= 0xff
                store.artifacts[corrupt] = bytes(data)
            store.control.update(settings)
        self.send_json(200, store.control)

    def do_GET(self):
        self.handle_any('GET')

    def do_POST(self):
        self.handle_any('POST')

    def do_PUT(self):
        self.handle_any('PUT')

    def do_DELETE(self):
        self.handle_any('DELETE')

    def do_PATCH(self):
        self.handle_any('PATCH')


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--auth')
    args = parser.parse_args()
    server = ThreadingHTTPServer(('127.0.0.1', args.port), Handler)
    server.daemon_threads = True
    server.store = Store()
    server.auth = args.auth
    print('PORT %d' % server.server_address[1], flush=True)
    parent = os.getppid()
    threading.Thread(target=server.serve_forever, daemon=True).start()
    while os.getppid() == parent:   # the test died: do not outlive it
        time.sleep(0.2)
    server.shutdown()


if __name__ == '__main__':
    sys.exit(main())
