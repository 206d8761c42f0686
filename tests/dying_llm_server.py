"""An OpenAI-compatible chat server, run as its own process, for tests that kill it.

``python -m tests.dying_llm_server PORT MODE`` serves ``GET /v1/models`` (ready) and
``POST /v1/chat/completions``. MODE ``think``: the request is read, ``received`` is printed,
and no answer ever comes (a server busy on a long prompt); MODE ``stream``: one streamed
token every 0.2 s, forever. The test kills the process at the moment it wants it to die.
"""

from __future__ import annotations

import json
import sys
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    mode = "think"

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        body = json.dumps({"object": "list", "data": [{"id": "local", "object": "model"}]})
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(body)))
        self.end_headers()
        self.wfile.write(body.encode())

    def do_POST(self) -> None:
        self.rfile.read(int(self.headers.get("content-length", "0")))
        print("received", flush=True)
        if self.mode == "think":
            time.sleep(3600)
            return
        self.send_response(200)
        self.send_header("content-type", "text/event-stream")
        self.send_header("transfer-encoding", "chunked")
        self.end_headers()
        n = 0
        while True:
            n += 1
            chunk = {
                "id": "x",
                "object": "chat.completion.chunk",
                "created": 0,
                "model": "local",
                "choices": [{"index": 0, "delta": {"content": f"woord{n} "}}],
            }
            data = f"data: {json.dumps(chunk)}\n\n".encode()
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()
            time.sleep(0.2)


def main() -> None:
    port, Handler.mode = int(sys.argv[1]), sys.argv[2]
    ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()


if __name__ == "__main__":
    main()
