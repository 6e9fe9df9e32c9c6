#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""A MongoDB wire-protocol server for the sync tests and benchmark.

mockupdb speaks the wire protocol (OP_QUERY handshake, OP_MSG with document
sequences); mongomock keeps the documents and gives query, update and
unique-index semantics. This file glues them: it answers the commands
libmongoc 1.23 sends, poses as a one-member replica set with --replset (so
the client retries writes), and can misbehave on purpose:

  --die-after N    exit abruptly (no reply) once N documents were written
  --delay S        sleep S seconds before answering any write
  --reject-auth    fail every SASL authentication (code 18)
  --data FILE      keep the documents in FILE across restarts

Its first line on stdout is "PORT <n>"; it then serves until killed.
"""

import argparse
import os
import sys
import threading
import time

import bson
import mockupdb
import mongomock

WIRE_VERSION = 13        # MongoDB 5.0; libmongoc 1.23 needs at least 6
DUPLICATE_KEY = 11000
AUTH_FAILED = 18


class Server:
    def __init__(self, args):
        self.args = args
        self.client = mongomock.MongoClient()
        self.written = 0
        self.upserted = 0
        self.lock = threading.Lock()
        self.address = None
        self.load()

    # persistence ------------------------------------------------------------
    def load(self):
        if not self.args.data or not os.path.exists(self.args.data):
            return
        with open(self.args.data, 'rb') as f:
            for entry in bson.decode_all(f.read()):
                coll = self.client[entry['db']][entry['coll']]
                for spec in entry.get('indexes', []):
                    coll.create_index(list(spec['key'].items()),
                                      name=spec['name'],
                                      unique=spec.get('unique', False))
                if entry['docs']:
                    coll.insert_many(entry['docs'])

    def save(self):
        if not self.args.data:
            return
        out = []
        for db_name in self.client.list_database_names():
            db = self.client[db_name]
            for coll_name in db.list_collection_names():
                coll = db[coll_name]
                indexes = [{'name': name, 'key': dict(info['key']),
                            'unique': info.get('unique', False)}
                           for name, info in coll.index_information().items()
                           if name != '_id_']
                out.append({'db': db_name, 'coll': coll_name,
                            'indexes': indexes, 'docs': list(coll.find())})
        tmp = self.args.data + '.tmp'
        with open(tmp, 'wb') as f:
            for entry in out:
                f.write(bson.encode(entry))
        os.replace(tmp, self.args.data)

    # commands ---------------------------------------------------------------
    def hello(self, req):
        reply = {'ismaster': True, 'isWritablePrimary': True, 'helloOk': True,
                 'minWireVersion': 0, 'maxWireVersion': WIRE_VERSION,
                 'maxBsonObjectSize': 16 * 1024 * 1024,
                 'maxMessageSizeBytes': 48000000, 'maxWriteBatchSize': 100000,
                 'logicalSessionTimeoutMinutes': 30,
                 'localTime': mockupdb.datetime.datetime.utcnow()}
        if self.args.replset:
            reply.update({'setName': self.args.replset, 'setVersion': 1,
                          'hosts': [self.address], 'me': self.address,
                          'primary': self.address,
                          'electionId': bson.ObjectId('7fffffff0000000000000001')})
        if 'saslSupportedMechs' in req.doc:
            reply['saslSupportedMechs'] = ['SCRAM-SHA-1', 'SCRAM-SHA-256']
        return reply

    def before_write(self):
        if self.args.delay:
            time.sleep(self.args.delay)

    def count_write(self, n):
        self.written += n
        if self.args.die_after and self.written >= self.args.die_after:
            self.save()
            os._exit(3)

    def update(self, req, coll):
        self.before_write()
        n = modified = 0
        upserted, errors = [], []
        for i, spec in enumerate(req.doc.get('updates', [])):
            try:
                u = spec['u']
                upsert = spec.get('upsert', False)
                if any(k.startswith('$') for k in u):
                    if spec.get('multi'):
                        r = coll.update_many(spec['q'], u, upsert=upsert)
                    else:
                        r = coll.update_one(spec['q'], u, upsert=upsert)
                else:
                    r = coll.replace_one(spec['q'], u, upsert=upsert)
            except mongomock.DuplicateKeyError as e:
                errors.append({'index': i, 'code': DUPLICATE_KEY, 'errmsg': str(e)})
                if req.doc.get('ordered', True):
                    break
                continue
            if r.upserted_id is not None:
                upserted.append({'index': i, '_id': r.upserted_id})
                self.upserted += 1
                n += 1
            else:
                n += r.matched_count
                modified += r.modified_count
            self.count_write(1)
        self.save()
        reply = {'n': n, 'nModified': modified}
        if upserted:
            reply['upserted'] = upserted
        if errors:
            reply['writeErrors'] = errors
        return reply

    def insert(self, req, coll):
        self.before_write()
        n, errors = 0, []
        for i, doc in enumerate(req.doc.get('documents', [])):
            try:
                coll.insert_one(doc)
                n += 1
                self.count_write(1)
            except mongomock.DuplicateKeyError as e:
                errors.append({'index': i, 'code': DUPLICATE_KEY, 'errmsg': str(e)})
                if req.doc.get('ordered', True):
                    break
        self.save()
        reply = {'n': n}
        if errors:
            reply['writeErrors'] = errors
        return reply

    def delete(self, req, coll):
        n = 0
        for spec in req.doc.get('deletes', []):
            if spec.get('limit', 0) == 1:
                n += coll.delete_one(spec['q']).deleted_count
            else:
                n += coll.delete_many(spec['q']).deleted_count
        self.save()
        return {'n': n}

    def cursor(self, req, docs):
        ns = '%s.%s' % (req.doc['$db'], req.doc[req.command_name])
        return {'cursor': {'id': bson.int64.Int64(0), 'ns': ns,
                           'firstBatch': docs}}

    def find(self, req, coll):
        cursor = coll.find(req.doc.get('filter', {}), req.doc.get('projection'))
        if req.doc.get('sort'):
            cursor = cursor.sort(list(req.doc['sort'].items()))
        if req.doc.get('skip'):
            cursor = cursor.skip(req.doc['skip'])
        if req.doc.get('limit'):
            cursor = cursor.limit(abs(req.doc['limit']))
        return self.cursor(req, list(cursor))

    def create_indexes(self, req, coll):
        before = len(coll.index_information())
        for spec in req.doc['indexes']:
            coll.create_index(list(spec['key'].items()), name=spec['name'],
                              unique=spec.get('unique', False))
        self.save()
        after = len(coll.index_information())
        return {'numIndexesBefore': before, 'numIndexesAfter': after,
                'createdCollectionAutomatically': before == 0}

    def list_indexes(self, req, coll):
        docs = [{'v': 2, 'name': name, 'key': dict(info['key']),
                 **({'unique': True} if info.get('unique') else {})}
                for name, info in coll.index_information().items()]
        return self.cursor(req, docs)

    def handle(self, req):
        name = req.command_name or ''
        low = name.lower()
        if low in ('ismaster', 'hello'):
            return self.hello(req)
        if low in ('saslstart', 'saslcontinue', 'authenticate'):
            if self.args.reject_auth:
                return {'ok': 0, 'code': AUTH_FAILED, 'codeName': 'AuthenticationFailed',
                        'errmsg': 'Authentication failed.'}
            return {'ok': 0, 'code': 2, 'errmsg': 'this test server has no users'}
        if low in ('ping', 'endsessions', 'killcursors'):
            return {}
        if low == 'buildinfo':
            return {'version': '5.0.0', 'versionArray': [5, 0, 0, 0]}
        if low == 'auscultastats':
            return {'written': self.written, 'upserted': self.upserted}
        db = self.client[req.doc.get('$db', 'admin')]
        coll = db[req.doc[name]] if isinstance(req.doc.get(name), str) else None
        handlers = {'update': self.update, 'insert': self.insert,
                    'delete': self.delete, 'find': self.find,
                    'createindexes': self.create_indexes,
                    'listindexes': self.list_indexes}
        if low in handlers:
            return handlers[low](req, coll)
        if low == 'count':
            return {'n': coll.count_documents(req.doc.get('query') or {})}
        if low == 'aggregate':
            return self.cursor(req, list(coll.aggregate(req.doc.get('pipeline', []))))
        if low == 'drop':
            coll.drop()
            self.save()
            return {}
        if low == 'getmore':
            return {'cursor': {'id': bson.int64.Int64(0), 'ns': '', 'nextBatch': []}}
        return {'ok': 0, 'code': 59, 'errmsg': 'no such command: %s' % name}

    def respond(self, req):
        with self.lock:
            reply = self.handle(req)
        req.replies(reply)
        return True


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument('--port', type=int, default=0)
    parser.add_argument('--replset')
    parser.add_argument('--die-after', type=int, default=0)
    parser.add_argument('--delay', type=float, default=0.0)
    parser.add_argument('--reject-auth', action='store_true')
    parser.add_argument('--data')
    args = parser.parse_args()

    server = Server(args)
    mock = mockupdb.MockupDB(port=args.port or None, request_timeout=int(1e6))
    mock.autoresponds(server.respond)
    port = mock.run()
    server.address = '127.0.0.1:%d' % port
    print('PORT %d' % port, flush=True)
    parent = os.getppid()
    try:
        while os.getppid() == parent:   # the test died: do not outlive it
            time.sleep(0.2)
    except KeyboardInterrupt:
        pass
    finally:
        mock.stop()


if __name__ == '__main__':
    main()
