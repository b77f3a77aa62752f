"""One MQTT client of the original setup, on Eclipse Paho's Python client (1.6).

subscribe: subscribes to --topic, prints "ready" once the SUBACK granted it, then each
message as one line of JSON (topic, payload, qos, retain).
publish: publishes --message to --topic, waits for the acknowledgement, prints
"published" and exits.

Over TCP straight to the broker by default; over a WebSocket with --websocket-path
(wss with --tls, without checking the certificate: Herald's test certificate is
self-signed). The password (Herald's token) comes from the environment variable
MQTT_PASSWORD, so that it does not show in process listings. Whatever happens, the
process exits after --timeout seconds.
"""

import argparse
import json
import os
import ssl
import sys
import threading
import uuid

import paho.mqtt.client as mqtt


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("mode", choices=["subscribe", "publish"])
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--websocket-path")
    parser.add_argument("--tls", action="store_true")
    parser.add_argument("--username")
    parser.add_argument("--topic", required=True)
    parser.add_argument("--message")
    parser.add_argument("--qos", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=60)
    args = parser.parse_args()

    watchdog = threading.Timer(args.timeout, give_up, [args.timeout])
    watchdog.daemon = True
    watchdog.start()

    transport = "websockets" if args.websocket_path else "tcp"
    client = mqtt.Client(client_id="python-paho-" + uuid.uuid4().hex[:8], transport=transport)
    if args.websocket_path:
        client.ws_set_options(path=args.websocket_path)
    if args.tls:
        client.tls_set(cert_reqs=ssl.CERT_NONE)
        client.tls_insecure_set(True)
    if args.username is not None:
        client.username_pw_set(args.username, os.environ.get("MQTT_PASSWORD"))

    connected = threading.Event()
    outcome = {}

    def on_connect(client, userdata, flags, rc):
        outcome["connack"] = rc
        connected.set()

    def on_subscribe(client, userdata, mid, granted_qos):
        if granted_qos[0] == 0x80:
            fail("SUBACK refused " + args.topic)
        print("ready", flush=True)

    def on_message(client, userdata, message):
        print(json.dumps({"topic": message.topic, "payload": message.payload.decode("utf-8"),
                          "qos": message.qos, "retain": bool(message.retain)}), flush=True)

    def on_disconnect(client, userdata, rc):
        if rc != mqtt.MQTT_ERR_SUCCESS:
            fail("connection lost: " + mqtt.error_string(rc))

    client.on_connect = on_connect
    client.on_disconnect = on_disconnect
    client.on_subscribe = on_subscribe
    client.on_message = on_message
    client.connect(args.host, args.port, keepalive=30)
    client.loop_start()
    if not connected.wait(10):
        fail("no CONNACK within 10 s")
    if outcome["connack"] != 0:
        fail("CONNACK refused: " + mqtt.connack_string(outcome["connack"]))

    if args.mode == "subscribe":
        result, _ = client.subscribe(args.topic, args.qos)
        if result != mqtt.MQTT_ERR_SUCCESS:
            fail("SUBSCRIBE not sent: " + mqtt.error_string(result))
        # Messages are printed by the network thread until the test stops this process.
        threading.Event().wait()
    else:
        info = client.publish(args.topic, args.message, args.qos)
        info.wait_for_publish(10)
        if not info.is_published():
            fail("no acknowledgement of the publish within 10 s")
        print("published", flush=True)
        client.disconnect()
        client.loop_stop()


def fail(reason):
    print(reason, file=sys.stderr, flush=True)
    os._exit(1)


def give_up(timeout):
    print("gave up after %s s" % timeout, file=sys.stderr, flush=True)
    os._exit(2)


if __name__ == "__main__":
    main()
