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
  --store dict     keep documents in a dict keyed on _id instead of mongomock
                   (for the benchmark: see DictCollection)

Its first line on stdout is "PORT <n>"; it then serves until killed.

Speed (profiled for bench/sync): mongomock finds an upsert's document by
scanning the collection and deep-copies every document (quadratic in the
collection's size), and mockupdb formats every request it receives into a
JSON repr for a log line it then drops. The repr is replaced by a cheap one
below and the receive loop by one that does not re-copy the message per
chunk; --store dict replaces mongomock for the benchmark. The BSON C
extension (python3-bson-ext) decodes the requests, into plain dicts with
--store dict.
"""

import argparse
import errno
import os
import socket
import threading
import time
import zlib
from types import SimpleNamespace

import bson
import mockupdb
import mongomock

WIRE_VERSION = 13        # MongoDB 5.0; libmongoc 1.23 needs at least 6
DUPLICATE_KEY = 11000
AUTH_FAILED = 18


def request_repr(request):
    return '%s(%s)' % (type(request).__name__, getattr(request, 'command_name', ''))


def receive(sock, length):
    """mockupdb.mock_server_receive without a quadratic bytes +=."""
    msg = bytearray()
    while length:
        chunk = sock.recv(length)
        if chunk == b'':
            raise socket.error(errno.ECONNRESET, 'closed')
        length -= len(chunk)
        msg += chunk
    return bytes(msg)


mockupdb.Request.__repr__ = request_repr
mockupdb.mock_server_receive = receive


class Unsupported(Exception):
    pass


class DictCollection:
    """The part of a mongomock collection the server uses, on a dict keyed
    on _id: an upsert is one lookup, not a scan. Replacements by _id, inserts
    and plain equality finds; anything else is refused, not guessed. Each
    document is kept as compressed BSON: 100,000 documents of 432 features
    as Python dicts would take gigabytes and keep the garbage collector
    walking millions of objects."""

    def __init__(self):
        self.raw = {}
        self.indexes = {}

    @staticmethod
    def pack(doc):
        return zlib.compress(bson.encode(doc), 1)

    @property
    def docs(self):
        return {k: bson.decode(zlib.decompress(v)) for k, v in self.raw.items()}

    @staticmethod
    def only_id(query):
        if set(query) != {'_id'} or isinstance(query['_id'], dict):
            raise Unsupported('the dict store answers {_id: value} queries only')
        return query['_id']

    def replace_one(self, query, doc, upsert=False):
        key = self.only_id(query)
        old = self.raw.get(key)
        if old is None and not upsert:
            return SimpleNamespace(upserted_id=None, matched_count=0, modified_count=0)
        doc = self.pack(dict(doc, _id=key))
        self.raw[key] = doc
        if old is None:
            return SimpleNamespace(upserted_id=key, matched_count=0, modified_count=0)
        return SimpleNamespace(upserted_id=None, matched_count=1, modified_count=int(old != doc))

    def update_one(self, query, update, upsert=False):
        raise Unsupported('the dict store takes replacements, not update operators')

    update_many = update_one

    def insert_one(self, doc):
        if doc['_id'] in self.raw:
            raise mongomock.DuplicateKeyError('E11000 duplicate key: _id %r' % (doc['_id'],))
        self.raw[doc['_id']] = self.pack(doc)

    def insert_many(self, docs):
        for doc in docs:
            self.insert_one(doc)

    def find(self, query=None, projection=None):
        query = query or {}
        found = [d for d in self.docs.values() if all(d.get(k) == v for k, v in query.items())]
        return DictCursor(found)

    def count_documents(self, query):
        return len(self.raw) if not query else len(self.find(query).docs)

    def create_index(self, keys, name, unique=False):
        if unique:
            raise Unsupported('the dict store keeps no unique index but _id')
        self.indexes[name] = {'key': dict(keys)}

    def index_information(self):
        return dict({'_id_': {'key': {'_id': 1}}}, **self.indexes)

    def delete_one(self, query):
        return SimpleNamespace(deleted_count=int(self.raw.pop(self.only_id(query), None) is not None))

    delete_many = delete_one

    def drop(self):
        self.raw.clear()
        self.indexes.clear()

    def aggregate(self, pipeline):
        """What count_documents sends: $match, $skip, $limit, then a
        $group counting with {$sum: 1}."""
        docs = None
        for stage in pipeline:
            (op, arg), = stage.items()
            if op == '$match' and docs is None and not arg:
                docs = range(len(self.raw))       # counted, not decoded
                continue
            if op == '$match' and docs is None:
                docs = list(self.find(arg))
                continue
            if docs is None:
                docs = list(self.docs.values())
            if op == '$skip':
                docs = docs[arg:]
            elif op == '$limit':
                docs = docs[:arg]
            elif op == '$group' and all(v == {'$sum': 1} for k, v in arg.items() if k != '_id'):
                docs = [dict({k: len(docs) for k in arg if k != '_id'}, _id=arg['_id'])] if docs else []
            else:
                raise Unsupported('the dict store has no %s stage here' % op)
        if docs is None or isinstance(docs, range):
            docs = list(self.docs.values())
        return docs


class DictCursor:
    def __init__(self, docs):
        self.docs = docs

    def sort(self, keys):
        for key, direction in reversed(keys):
            self.docs.sort(key=lambda d: d.get(key), reverse=direction < 0)
        return self

    def skip(self, n):
        self.docs = self.docs[n:]
        return self

    def limit(self, n):
        self.docs = self.docs[:n]
        return self

    def __iter__(self):
        return iter(self.docs)


class DictDatabase(dict):
    def __missing__(self, name):
        coll = self[name] = DictCollection()
        return coll

    def list_collection_names(self):
        return list(self)


class DictClient(dict):
    def __missing__(self, name):
        db = self[name] = DictDatabase()
        return db

    def list_database_names(self):
        return list(self)


class Server:
    def __init__(self, args):
        self.args = args
        self.client = DictClient() if args.store == 'dict' else mongomock.MongoClient()
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
            return {'written': self.written, 'upserted': self.upserted,
                    'cpu_ms': bson.int64.Int64(int(time.process_time() * 1000))}
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
            try:
                reply = self.handle(req)
            except Unsupported as e:
                reply = {'ok': 0, 'code': 2, 'codeName': 'BadValue', 'errmsg': str(e)}
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
    parser.add_argument('--store', choices=('mongomock', 'dict'), default='mongomock')
    args = parser.parse_args()

    if args.store == 'dict':
        # plain dicts, decoded and encoded in C, not OrderedDicts built
        # key by key through Python (the matching this server does not use
        # is what wanted them)
        mockupdb.CODEC_OPTIONS = bson.codec_options.CodecOptions(document_class=dict)
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
