"""Parsing lines already split, as the seed's EventSource takes them."""

from sse import EventSource

for event in EventSource(["event: greeting", "data: hello", "", "data: world", ""]):
    print(event.event, event.data)  # "greeting hello", then "message world"
