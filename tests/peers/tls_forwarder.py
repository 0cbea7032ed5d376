#!/usr/bin/env python3
"""A TLS front for a plain-HTTP peer on 127.0.0.1: accepts TLS (a given certificate) on a free loopback port and
relays the decrypted bytes both ways to --target-port. Lets a test reach the Airflow emulator over https (and
so through a proxy's CONNECT tunnel) without giving the emulator a TLS stack.

    tls_forwarder.py --cert CERT --key KEY --target-port N --info FILE
Writes {"port": P, "pid": ...} to --info once listening; stops when stdin closes.
"""
import argparse
import json
import os
import socket
import ssl
import sys
import threading


def pump(src, dst):
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
    except OSError:
        pass
    finally:
        for s in (src, dst):
            try:
                s.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


def serve(client, context, target_port):
    try:
        tls = context.wrap_socket(client, server_side=True)
    except (ssl.SSLError, OSError):
        client.close()
        return
    upstream = socket.create_connection(("127.0.0.1", target_port))
    threading.Thread(target=pump, args=(tls, upstream), daemon=True).start()
    pump(upstream, tls)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--target-port", type=int, required=True)
    parser.add_argument("--info", required=True)
    args = parser.parse_args()
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    context.load_cert_chain(args.cert, args.key)
    listener = socket.socket()
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    tmp = args.info + ".tmp"
    with open(tmp, "w") as f:
        json.dump({"port": listener.getsockname()[1], "pid": os.getpid()}, f)
    os.replace(tmp, args.info)

    def accept():
        while True:
            try:
                client, _ = listener.accept()
            except OSError:
                return
            threading.Thread(target=serve, args=(client, context, args.target_port), daemon=True).start()

    threading.Thread(target=accept, daemon=True).start()
    try:
        while sys.stdin.read(1):
            pass
    except Exception:
        pass


if __name__ == "__main__":
    main()
