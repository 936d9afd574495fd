"""The AWS IoT policy: a least-privilege template filled with region, account and thing name.

Placeholders: ${region}, ${account}, ${thing} (AWS policy variables such as
${iot:Connection.Thing.ThingName} are left alone). The default grants exactly: connect with the
thing's name as client id; publish and receive on topics under things/<thing>/ and the thing's
own reserved topics $aws/things/<thing>/; subscribe to the same topic filters.
"""
import json
import string

from .runner import ProvisionError

DEFAULT_TEMPLATE = """{
  "Version": "2012-10-17",
  "Statement": [
    {
      "Effect": "Allow",
      "Action": "iot:Connect",
      "Resource": "arn:aws:iot:${region}:${account}:client/${thing}"
    },
    {
      "Effect": "Allow",
      "Action": ["iot:Publish", "iot:Receive"],
      "Resource": [
        "arn:aws:iot:${region}:${account}:topic/things/${thing}/*",
        "arn:aws:iot:${region}:${account}:topic/$$aws/things/${thing}/*"
      ]
    },
    {
      "Effect": "Allow",
      "Action": "iot:Subscribe",
      "Resource": [
        "arn:aws:iot:${region}:${account}:topicfilter/things/${thing}/*",
        "arn:aws:iot:${region}:${account}:topicfilter/$$aws/things/${thing}/*"
      ]
    }
  ]
}
"""


def render(template_text, region, account, thing, source="the default policy template"):
    try:
        text = string.Template(template_text).safe_substitute(region=region, account=account, thing=thing)
    except ValueError as e:
        raise ProvisionError("%s: bad placeholder (%s)" % (source, e), hint="write a literal $ as $$")
    try:
        doc = json.loads(text)
    except ValueError as e:
        raise ProvisionError("%s is not valid JSON after filling in the placeholders: %s" % (source, e))
    if not isinstance(doc, dict) or not isinstance(doc.get("Statement"), list):
        raise ProvisionError("%s has no Statement list" % source)
    for st in doc["Statement"]:
        actions = st.get("Action")
        actions = [actions] if isinstance(actions, str) else actions or []
        if st.get("Effect") == "Allow" and ("iot:*" in actions or st.get("Resource") == "*"):
            raise ProvisionError("%s grants %s on %s: refusing a wildcard policy"
                                 % (source, "/".join(actions), st.get("Resource")),
                                 hint="name the actions and resources (see docs/provisioning.md)")
    return json.dumps(doc, separators=(",", ":"))


def load_template(path):
    if not path:
        return DEFAULT_TEMPLATE, "the default policy template"
    try:
        with open(path, encoding="utf-8") as f:
            return f.read(), "policy template " + path
    except OSError as e:
        raise ProvisionError("cannot read policy template %s: %s" % (path, e.strerror))
