"""TODO(scaffold): the end-to-end architecture: the request path above, storage, offline jobs below.

TODO(scaffold): the rest of the docstring is the figure's long description: what happens online,
what runs offline, and what the two halves share.
"""


def draw(style):
    with style.architecture(online="Online: one request", storage="Shared storage",
                            offline="Offline: training and indexing") as figure:
        with figure.online:
            client = style.box("Client", "online")
            service = style.box("Service", "online")
            model = style.box("Model", "model")
        with figure.storage:
            log = style.box("Event log", "storage")
            features = style.box("Feature store", "storage")
            registry = style.box("Model registry", "storage")
        with figure.offline:
            pipeline = style.box("Features and\ntraining data", "offline")
            train = style.box("Train and\nvalidate", "model")
        figure.chain(client, service, model)
        figure.chain(pipeline, train)
        figure.across(client, log, "events", muted=True)
        figure.across(features, service, "features")
        figure.across(registry, model, "model", muted=True)
        figure.across(log, pipeline)
        figure.across(pipeline, features)
        figure.across(train, registry)
    return figure
