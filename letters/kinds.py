"""The letter kinds (告知书), each with its title, the article it rests on and its wording.

One home for every letter's words: the default .docx templates are built from these
(letters/defaults.py), the issue form asks for each kind's `fields`, and the tests read the
articles back. Every article is checked against the text of 《中华人民共和国政府信息公开条例》
(国务院令第711号, 2019); docs/letters.md lists them.

Body paragraphs are Jinja (docxtpl) text: the placeholders a template may use are the
common ones (CONTEXT_HELP) plus the kind's own fields.
"""

from dataclasses import dataclass

from applications.choices import ClockStopKind, Outcome

REGULATION = "《中华人民共和国政府信息公开条例》"
FEE_RULES = "《政府信息公开信息处理费管理办法》（国办函〔2020〕109号）"

# The relief sentence of every letter to the applicant; the bodies come from LetterSettings.
RELIEF_SENTENCE = (
    "如对本告知书不服，可以在收到本告知书之日起六十日内向{review_body}申请行政复议，"
    "或者在六个月内向{court}提起行政诉讼。"
)

# Where a letter's date comes from.
DATE_ANSWERED = "answered_on"  # the ledger's 答复日期
DATE_ENTERED = "entered"  # typed by the clerk when issuing (no ledger date exists)


@dataclass(frozen=True)
class DetailField:
    """Something the clerk writes for this one letter (the reason, where to get it, ...)."""

    name: str
    label: str
    required: bool = True
    help_text: str = ""
    kind: str = "text"  # "text", "line", "bool", "days"


@dataclass(frozen=True)
class LetterKind:
    code: str
    title: str
    articles: str  # e.g. "第三十六条第（二）项", cited as REGULATION + articles
    body: tuple
    fields: tuple = ()
    outcome: str = ""  # for an answer: the outcome code it answers
    date_source: str = DATE_ANSWERED
    clock_stop: str = ""  # the ledger's clock stop whose start date is the letter's date
    to_third_party: bool = False
    # An alternative citation when a yes/no field is set (4.1 naming the holder: item (五)).
    articles_if: tuple = ()

    def __post_init__(self):
        # Plain strings, not Outcome members: they key caches and are stored as is.
        object.__setattr__(self, "code", str(self.code))
        object.__setattr__(self, "outcome", str(self.outcome))

    @property
    def is_answer(self):
        return bool(self.outcome)

    @property
    def has_relief(self):
        return not self.to_third_party

    def article_for(self, details):
        for name, articles in self.articles_if:
            if details.get(name):
                return f"{REGULATION}{articles}"
        return f"{REGULATION}{self.articles}"

    def placeholder_names(self):
        return set(CONTEXT_HELP) | {detail.name for detail in self.fields}


# Placeholders every template may use, with what they hold (shown on the upload page).
CONTEXT_HELP = {
    "office_name": "本机关全称",
    "doc_number": "告知书文号",
    "title": "告知书标题",
    "addressee": "收件人（申请人或第三方）",
    "applicant_name": "申请人姓名或名称",
    "application_number": "申请编号",
    "received_on": "收到申请日期（中文日期）",
    "content": "申请内容",
    "letter_date": "告知书日期（中文日期）",
    "article": "所依据的条例条款",
    "relief": "救济途径告知语（含复议机关和人民法院）",
    "review_body": "复议机关",
    "court": "人民法院",
}

OPENING = (
    "本机关于{{ received_on }}收到您提出的政府信息公开申请（申请编号：{{ application_number }}），"
    "申请获取“{{ content }}”。经审查，现答复如下："
)
HOW_TO_GET = DetailField(
    "how_to_get", "获取方式", help_text="提供方式、途径和时间，例如：随本告知书附送纸质件共12页。"
)
REASON = DetailField("reason", "具体理由", help_text="结合申请内容说明不予公开的具体理由。")


def refusal(code, articles, ground, extra_fields=()):
    """A 不予公开 answer: the ground, the article, and the office's own reasons."""
    return LetterKind(
        code=code,
        title="政府信息公开申请答复告知书",
        articles=articles,
        outcome=code,
        body=(
            OPENING,
            f"您申请获取的信息{ground}。{{{{ reason }}}}",
            "根据{{ article }}的规定，本机关决定不予公开。",
        ),
        fields=(*extra_fields, REASON),
    )


ANSWERS = (
    LetterKind(
        code=Outcome.DISCLOSED,
        title="政府信息公开申请答复告知书",
        articles="第三十六条第（二）项",
        articles_if=(("already_published", "第三十六条第（一）项"),),
        outcome=Outcome.DISCLOSED,
        body=(
            OPENING,
            "{% if already_published %}您申请获取的信息本机关已经主动公开。"
            "{% else %}您申请获取的信息属于可以公开的政府信息，本机关决定予以公开。{% endif %}"
            "根据{{ article }}的规定，现告知您获取该政府信息的方式和途径：{{ how_to_get }}。",
        ),
        fields=(
            DetailField(
                "already_published",
                "已经主动公开",
                required=False,
                kind="bool",
                help_text="勾选后依据第三十六条第（一）项告知获取途径。",
            ),
            HOW_TO_GET,
        ),
    ),
    LetterKind(
        code=Outcome.PARTLY_DISCLOSED,
        title="政府信息公开申请答复告知书",
        articles="第三十七条",
        outcome=Outcome.PARTLY_DISCLOSED,
        body=(
            OPENING,
            "您申请获取的信息中含有不应当公开的内容，但能够作区分处理。根据{{ article }}的规定，"
            "本机关向您提供可以公开的内容：{{ how_to_get }}。",
            "不予公开的内容及理由：{{ withheld }}。",
        ),
        fields=(
            HOW_TO_GET,
            DetailField(
                "withheld",
                "不予公开的内容及理由",
                help_text="写明哪些内容不予公开，以及理由和依据。",
            ),
        ),
    ),
    refusal(Outcome.STATE_SECRET, "第十四条", "属于依法确定为国家秘密的政府信息"),
    refusal(
        Outcome.PROHIBITED_BY_LAW,
        "第十四条",
        "属于法律、行政法规禁止公开的政府信息（依据：{{ law }}）",
        (DetailField("law", "禁止公开的法律、行政法规及条款"),),
    ),
    refusal(
        Outcome.ENDANGERS_SECURITY,
        "第十四条",
        "公开后可能危及国家安全、公共安全、经济安全、社会稳定",
    ),
    refusal(
        Outcome.THIRD_PARTY_RIGHTS,
        "第十五条",
        "涉及商业秘密、个人隐私等，公开会对第三方合法权益造成损害",
    ),
    refusal(
        Outcome.INTERNAL_AFFAIRS,
        "第十六条第一款",
        "属于行政机关的内部事务信息（人事管理、后勤管理、内部工作流程等方面的信息）",
    ),
    refusal(
        Outcome.PROCESS_INFORMATION,
        "第十六条第二款",
        "属于行政机关在履行行政管理职能过程中形成的讨论记录、过程稿、磋商信函、请示报告等过程性信息",
    ),
    refusal(Outcome.ENFORCEMENT_FILE, "第十六条第二款", "属于行政执法案卷信息"),
    LetterKind(
        code=Outcome.INQUIRY_MATTER,
        title="政府信息公开申请答复告知书",
        articles="第三十六条第（七）项",
        outcome=Outcome.INQUIRY_MATTER,
        body=(
            OPENING,
            "您申请获取的信息属于工商、不动产登记资料等信息，有关法律、行政法规对信息的获取有特别规定。"
            "根据{{ article }}的规定，请您依照{{ law }}的规定办理：{{ how_to_get }}。",
        ),
        fields=(
            DetailField("law", "规定信息获取的法律、行政法规"),
            DetailField("how_to_get", "办理途径", help_text="向哪个机关、以什么方式查询。"),
        ),
    ),
    LetterKind(
        code=Outcome.NOT_HELD,
        title="政府信息公开申请答复告知书",
        articles="第三十六条第（四）项",
        articles_if=(("holder", "第三十六条第（五）项"),),
        outcome=Outcome.NOT_HELD,
        body=(
            OPENING,
            "{% if holder %}您申请获取的信息不属于本机关负责公开。根据{{ article }}的规定，"
            "负责公开该政府信息的行政机关是{{ holder }}（联系方式：{{ holder_contact }}），请向该机关申请。"
            "{% else %}经检索，本机关没有您申请公开的信息。根据{{ article }}的规定，"
            "告知您该政府信息不存在。{% endif %}",
        ),
        fields=(
            DetailField(
                "holder",
                "负责公开的行政机关",
                required=False,
                help_text="能够确定负责公开该信息的机关的，填写其名称；不填写则告知该信息不存在。",
            ),
            DetailField("holder_contact", "该机关的联系方式", required=False),
        ),
    ),
    LetterKind(
        code=Outcome.NEEDS_CREATION,
        title="政府信息公开申请答复告知书",
        articles="第三十八条",
        outcome=Outcome.NEEDS_CREATION,
        body=(
            OPENING,
            "本机关向申请人提供的信息，应当是已制作或者获取的政府信息。您申请获取的信息需要本机关"
            "对现有政府信息进行加工、分析才能形成，本机关没有现成信息。根据{{ article }}的规定，本机关不予提供。",
        ),
    ),
    LetterKind(
        code=Outcome.STILL_UNCLEAR,
        title="政府信息公开申请答复告知书",
        articles="第三十条",
        outcome=Outcome.STILL_UNCLEAR,
        body=(
            OPENING,
            "本机关已一次性告知您作出补正，并于{{ correction_received_on }}收到您补正后的申请，"
            "但申请内容仍不明确，本机关无法确定您所申请的政府信息。根据{{ article }}的规定，本机关无法提供。",
        ),
    ),
    LetterKind(
        code=Outcome.PETITION,
        title="政府信息公开申请答复告知书",
        articles="第三十九条第一款",
        outcome=Outcome.PETITION,
        body=(
            OPENING,
            "您以政府信息公开申请的形式进行信访、投诉、举报等活动。根据{{ article }}的规定，"
            "本机关不作为政府信息公开申请处理，您可以通过{{ channel }}提出。",
        ),
        fields=(DetailField("channel", "相应渠道", help_text="例如：信访渠道（地址、电话）。"),),
    ),
    LetterKind(
        code=Outcome.REPEATED,
        title="政府信息公开申请答复告知书",
        articles="第三十六条第（六）项",
        outcome=Outcome.REPEATED,
        body=(
            OPENING,
            "本机关已就您提出的相同政府信息公开申请作出答复（{{ previous }}）。根据{{ article }}的规定，"
            "本机关不予重复处理。",
        ),
        fields=(DetailField("previous", "此前的答复", help_text="此前答复的文号和日期。"),),
    ),
    LetterKind(
        code=Outcome.PUBLICATION,
        title="政府信息公开申请答复告知书",
        articles="第三十九条第二款",
        outcome=Outcome.PUBLICATION,
        body=(
            OPENING,
            "您申请获取的是政府公报、报刊、书籍等公开出版物。根据{{ article }}的规定，"
            "告知您获取的途径：{{ how_to_get }}。",
        ),
        fields=(HOW_TO_GET,),
    ),
    LetterKind(
        code=Outcome.MASS_REPEATED,
        title="政府信息公开申请答复告知书",
        articles="第三十五条",
        outcome=Outcome.MASS_REPEATED,
        body=(
            OPENING,
            "您申请公开政府信息的数量、频次明显超过合理范围，本机关已要求您说明理由。{{ reason }}"
            "本机关认为申请理由不合理，根据{{ article }}的规定，告知您不予处理。",
        ),
        fields=(DetailField("reason", "审查情况", help_text="何时要求说明理由、申请人如何说明。"),),
    ),
    LetterKind(
        code=Outcome.CONFIRMATION,
        title="政府信息公开申请答复告知书",
        articles="第三十八条",
        outcome=Outcome.CONFIRMATION,
        body=(
            OPENING,
            "您的申请是要求本机关对您已获取的信息进行确认或者重新出具。本机关向申请人提供的信息，"
            "应当是已制作或者获取的政府信息。根据{{ article }}的规定，本机关不作为政府信息公开申请处理。",
        ),
    ),
    LetterKind(
        code=Outcome.NO_CORRECTION,
        title="政府信息公开申请终止处理告知书",
        articles="第三十条",
        outcome=Outcome.NO_CORRECTION,
        body=(
            OPENING,
            "本机关已一次性告知您作出补正，您无正当理由逾期未补正，视为放弃申请。根据{{ article }}的规定，"
            "本机关不再处理该政府信息公开申请。",
        ),
    ),
    LetterKind(
        code=Outcome.FEE_NOT_PAID,
        title="政府信息公开申请终止处理告知书",
        articles="第四十二条",
        outcome=Outcome.FEE_NOT_PAID,
        body=(
            OPENING,
            "本机关已向您发出收费通知，您逾期未按收费通知的要求缴纳信息处理费，视为放弃申请。"
            f"根据{{{{ article }}}}和{FEE_RULES}的规定，本机关不再处理该政府信息公开申请。",
        ),
    ),
)

CORRECTION, EXTENSION, THIRD_PARTY, FEE = "correction", "extension", "third_party", "fee"

INTERIM = (
    LetterKind(
        code=CORRECTION,
        title="政府信息公开申请补正告知书",
        articles="第三十条",
        date_source=DATE_ENTERED,
        body=(
            "本机关于{{ received_on }}收到您提出的政府信息公开申请（申请编号：{{ application_number }}），"
            "申请获取“{{ content }}”。经审查，您的申请内容不明确。",
            "根据{{ article }}的规定，现一次性告知您作出补正，需要补正的事项：{{ correction_items }}。"
            "请您自收到本告知书之日起{{ correction_days }}个工作日内补正。答复期限自本机关收到补正的申请之日起计算。"
            "您无正当理由逾期不补正的，视为放弃申请，本机关不再处理该政府信息公开申请。",
        ),
        fields=(
            DetailField("correction_items", "需要补正的事项"),
            DetailField(
                "letter_date",
                "告知书日期",
                kind="date",
                help_text="应在收到申请之日起7个工作日内。",
            ),
        ),
    ),
    LetterKind(
        code=EXTENSION,
        title="政府信息公开申请延期答复告知书",
        articles="第三十三条第二款",
        date_source=DATE_ENTERED,
        body=(
            "本机关于{{ received_on }}收到您提出的政府信息公开申请（申请编号：{{ application_number }}），"
            "申请获取“{{ content }}”。",
            "因{{ extension_reason }}，本机关不能在规定期限内作出答复。经本机关政府信息公开工作机构负责人同意，"
            "根据{{ article }}的规定，答复期限延长20个工作日，本机关将于{{ due_on }}前作出答复。",
        ),
        fields=(
            DetailField("extension_reason", "延期理由"),
            DetailField("letter_date", "告知书日期", kind="date"),
        ),
    ),
    LetterKind(
        code=THIRD_PARTY,
        title="政府信息公开第三方意见征询书",
        articles="第三十二条",
        date_source="",
        clock_stop=ClockStopKind.THIRD_PARTY_OPINION,
        to_third_party=True,
        body=(
            "本机关于{{ received_on }}收到{{ applicant_name }}提出的政府信息公开申请（申请编号：{{ application_number }}），"
            "申请获取“{{ content }}”。本机关认为，该信息公开可能损害贵方的合法权益：{{ concern }}。",
            "根据{{ article }}的规定，现书面征求贵方意见。请贵方自收到本征询书之日起15个工作日内提出书面意见；"
            "逾期未提出意见的，由本机关依照" + REGULATION + "的规定决定是否公开。",
        ),
        fields=(
            DetailField("third_party_name", "第三方名称", kind="line"),
            DetailField("concern", "可能损害的权益", help_text="例如：涉及贵公司的商业秘密。"),
        ),
    ),
    LetterKind(
        code=FEE,
        title="政府信息公开信息处理费收费通知",
        articles="第四十二条",
        date_source="",
        clock_stop=ClockStopKind.FEE_NOTICE,
        body=(
            "本机关于{{ received_on }}收到您提出的政府信息公开申请（申请编号：{{ application_number }}），"
            "申请获取“{{ content }}”。",
            "您申请公开政府信息的数量、频次明显超过合理范围。根据{{ article }}和"
            + FEE_RULES
            + "的规定，"
            "本机关决定收取信息处理费人民币{{ fee_amount }}元。计算方式：{{ fee_explanation }}",
            "请您自收到本通知之日起{{ payment_days }}个工作日内缴纳。逾期未缴纳的，视为放弃申请，"
            "本机关不再处理该政府信息公开申请。",
        ),
    ),
)

KIND_EXTRA_CONTEXT = {
    Outcome.STILL_UNCLEAR: {"correction_received_on": "收到补正后申请的日期"},
    CORRECTION: {"correction_days": "补正期限（工作日）"},
    EXTENSION: {"due_on": "延长后的答复期限"},
    FEE: {
        "fee_amount": "信息处理费金额（元）",
        "fee_explanation": "收费计算过程",
        "payment_days": "缴费期限（工作日）",
    },
}

KINDS = {kind.code: kind for kind in (*ANSWERS, *INTERIM)}
KIND_CHOICES = [
    *[(kind.code, f"答复（{Outcome(kind.outcome).label}）") for kind in ANSWERS],
    (CORRECTION, "补正申请告知书"),
    (EXTENSION, "延期答复告知书"),
    (THIRD_PARTY, "征求第三方意见书"),
    (FEE, "收费通知"),
]
KIND_LABELS = dict(KIND_CHOICES)


def allowed_placeholders(kind):
    return kind.placeholder_names() | set(KIND_EXTRA_CONTEXT.get(kind.code, {}))


def answer_kind(outcome):
    """The answer letter for an outcome code, or None (6.3 其他 has no standard letter)."""
    kind = KINDS.get(outcome)
    return kind if kind is not None and kind.is_answer else None
