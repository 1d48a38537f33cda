// A known TCP conversation on loopback, for the tests that record one (syscalls and packets):
// a server on 127.0.0.1:PORT and a client that sends three pings and reads three pongs, with a
// pause after each, so that each exchange stands apart in time.

import { spawnSync, type SpawnSyncReturns } from "node:child_process";

export function loopbackConversation(port: number, pauseSeconds = 0.2): SpawnSyncReturns<string> {
  return spawnSync("python3", ["-c", `
import socket, threading, time
s = socket.socket(); s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1); s.bind(("127.0.0.1", ${port})); s.listen(1)
def serve():
    c, _ = s.accept()
    for _ in range(3):
        d = c.recv(100)
        c.sendall(b"pong:" + d)
    c.close()
t = threading.Thread(target=serve); t.start()
c = socket.create_connection(("127.0.0.1", ${port}))
for i in range(3):
    c.sendall(b"ping%d" % i); c.recv(100); time.sleep(${pauseSeconds})
c.close(); t.join(); s.close()
`], { encoding: "utf8" });
}
