#!/usr/bin/python3
# SPDX-License-Identifier: GPL-3.0-or-later
"""The test server's own limit, for bench-sync: unordered bulk upserts of
432-feature documents, encoded as OP_MSG messages before the clock starts
and written to the server's socket one batch at a time (each reply read
before the next batch), so no client-side work is timed. Prints the
seconds it took."""

import argparse
import datetime
import socket
import struct
import time
import uuid

import bson

OP_MSG = 2013

parser = argparse.ArgumentParser()
parser.add_argument('--port', type=int, required=True)
parser.add_argument('--n', type=int, default=2000)
parser.add_argument('--batch', type=int, default=500)
args = parser.parse_args()

names = ['%s%d_%s_%s' % (kind, i, channel, run)
         for kind, count in (('V', 75), ('G', 33)) for i in range(1, count + 1)
         for channel in ('AC', 'vib') for run in ('down', 'up')]


def document(j):
    return {'_id': str(uuid.uuid4()), 'Mesure_CNI': {n: float(j % 60) for n in names},
            'prediction': 1, 'client': 'bench-1', 'temp_rep': 412.0,
            'date_de_creation': datetime.datetime.utcnow(), 'versionmodel': 'lof-1',
            'versionsc': '0.1.0', 'serial': 'SN%06d' % j, 'station': 'bench-1'}


def message(request_id, first, count):
    body = bson.encode({'update': 'server_limit', 'ordered': False, '$db': 'production'})
    updates = b''.join(bson.encode({'q': {'_id': d['_id']}, 'u': d, 'upsert': True})
                       for d in (document(j) for j in range(first, first + count)))
    sequence = b'updates\0' + updates
    payload = (struct.pack('<I', 0) + b'\0' + body
               + b'\1' + struct.pack('<i', 4 + len(sequence)) + sequence)
    return struct.pack('<iiii', 16 + len(payload), request_id, 0, OP_MSG) + payload


def read_reply(sock):
    header = b''
    while len(header) < 4:
        header += sock.recv(4 - len(header))
    length, = struct.unpack('<i', header)
    rest = length - 4
    while rest:
        rest -= len(sock.recv(rest))


messages = [message(i + 1, first, min(args.batch, args.n - first))
            for i, first in enumerate(range(0, args.n, args.batch))]
sock = socket.create_connection(('127.0.0.1', args.port))
start = time.monotonic()
for msg in messages:
    sock.sendall(msg)
    read_reply(sock)
print('%.6f' % (time.monotonic() - start))
