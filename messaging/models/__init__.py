from messaging.models.events import TOMBSTONE_KINDS, EventSequence, MessageEvent, MessageEventRecipient
from messaging.models.messages import SOURCE_LANGUAGE, Message
from messaging.models.topics import Topic
from messaging.models.workflow import TwoPersonApprovalTask
from messaging.models.workflow_names import WorkflowName

__all__ = [
    "SOURCE_LANGUAGE",
    "TOMBSTONE_KINDS",
    "EventSequence",
    "Message",
    "MessageEvent",
    "MessageEventRecipient",
    "Topic",
    "TwoPersonApprovalTask",
    "WorkflowName",
]
