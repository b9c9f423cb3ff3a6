//! The strings only the lazily loaded screens show — the form to reach a person and what
//! follows it (the `handoff` part), guided flows (the `flows` part) — in every language, kept
//! out of the first module (issue #14): they are here, reachable only from [`register`], which
//! each of those screens calls before it renders, so the build moves them into the parts'
//! shared code; [`find`] reads them once registered. Keys are in [`KEYS`] (in the first
//! module, for `strings` config checks); a native test keeps both lists and every language in
//! step.

use std::cell::Cell;

/// The keys of the strings here, in the order of the tables.
pub static KEYS: &[&str] = &[
    "flow",
    "flow_progress",
    "flow_hint",
    "next",
    "didnt_work",
    "stop",
    "flow_done",
    "back_to_article",
    "flow_failed",
    "flow_escalate",
    "what_wrong",
    "email",
    "need_words",
    "need_email",
    "share",
    "share_always",
    "share_tried",
    "share_errors",
    "share_errors_detail",
    "share_requests",
    "share_requests_detail",
    "share_activity",
    "share_activity_detail",
    "send",
    "sending",
    "one_moment",
    "sent",
    "sent_body",
    "sent_ticket",
    "mail",
    "mail_body",
    "send_mail",
    "queued",
    "queued_body",
    "not_sent",
    "not_sent_body",
    "refused",
    "no_delivery",
    "not_handed",
    "reference",
];

/// English.
pub static EN: &[(&str, &str)] = &[
    ("flow", "Guided steps"),
    ("flow_progress", "Step {n} of {total}"),
    ("flow_hint", "Baton moves on by itself once this step worked."),
    ("next", "Next"),
    ("didnt_work", "That didn't work"),
    ("stop", "Stop"),
    ("flow_done", "All steps done."),
    ("back_to_article", "Back to the article"),
    ("flow_failed", "Sorry — step {n} didn't work. We noted where you got to, so a person can pick up from there."),
    ("flow_escalate", "The guided steps for “{title}” didn't work at step {n}."),
    ("what_wrong", "What went wrong?"),
    ("email", "Your email"),
    ("need_words", "Tell us in a few words what went wrong."),
    ("need_email", "Add an email address so that we can answer you."),
    ("share", "We'll share, so that you don't have to explain it again:"),
    ("share_always", "Your message, who you are in this app, the pages you visited ({pages}) and your browser."),
    ("share_tried", "What you tried here: {n} searches and articles."),
    ("share_errors", "Errors the page showed"),
    ("share_errors_detail", " — errors: {errors}, console messages: {console}"),
    ("share_requests", "Requests that failed"),
    ("share_requests_detail", " — {n}"),
    ("share_activity", "What you clicked and the page's text"),
    ("share_activity_detail", " — steps: {n}; never what you typed into the app"),
    ("send", "Send"),
    ("sending", "Sending…"),
    ("one_moment", "One moment."),
    ("sent", "Sent to the team"),
    ("sent_body", "They already have the details of what happened, so you won't need to repeat them."),
    ("sent_ticket", "Your ticket: {ticket}."),
    ("mail", "Almost there"),
    ("mail_body", "Send it by email with the button below: it already holds the details, so you won't need to explain again."),
    ("send_mail", "Send by email"),
    ("queued", "Saved — sending as soon as possible"),
    ("queued_body", "We couldn't reach the team just now. Your message is saved on this device and goes out by itself, even if you reload or come back later."),
    ("not_sent", "Not sent yet"),
    ("not_sent_body", "Quote your reference when you contact support by email or phone."),
    ("refused", "The support system refused the message."),
    ("no_delivery", "This app has not set up sending messages to its team yet."),
    ("not_handed", "Your message could not be handed over."),
    ("reference", "Your reference:"),
];

/// French.
pub static FR: &[(&str, &str)] = &[
    ("flow", "Étapes guidées"),
    ("flow_progress", "Étape {n} sur {total}"),
    ("flow_hint", "Baton passe à la suite tout seul dès que cette étape a fonctionné."),
    ("next", "Suivant"),
    ("didnt_work", "Ça n'a pas marché"),
    ("stop", "Arrêter"),
    ("flow_done", "Toutes les étapes sont faites."),
    ("back_to_article", "Retour à l'article"),
    ("flow_failed", "Désolés — l'étape {n} n'a pas fonctionné. Nous avons noté où vous en étiez, pour qu'une personne reprenne à partir de là."),
    ("flow_escalate", "Les étapes guidées de « {title} » n'ont pas fonctionné à l'étape {n}."),
    ("what_wrong", "Qu'est-ce qui ne va pas ?"),
    ("email", "Votre e-mail"),
    ("need_words", "Dites-nous en quelques mots ce qui ne va pas."),
    ("need_email", "Ajoutez une adresse e-mail pour que nous puissions vous répondre."),
    ("share", "Nous transmettrons, pour que vous n'ayez pas à tout réexpliquer :"),
    ("share_always", "Votre message, qui vous êtes dans cette application, les pages visitées ({pages}) et votre navigateur."),
    ("share_tried", "Ce que vous avez essayé ici : {n} recherches et articles."),
    ("share_errors", "Les erreurs affichées par la page"),
    ("share_errors_detail", " — erreurs : {errors}, messages de console : {console}"),
    ("share_requests", "Les requêtes qui ont échoué"),
    ("share_requests_detail", " — {n}"),
    ("share_activity", "Vos clics et le texte de la page"),
    ("share_activity_detail", " — étapes : {n} ; jamais ce que vous avez saisi dans l'application"),
    ("send", "Envoyer"),
    ("sending", "Envoi…"),
    ("one_moment", "Un instant."),
    ("sent", "Envoyé à l'équipe"),
    ("sent_body", "Elle a déjà le détail de ce qui s'est passé : vous n'aurez pas à le répéter."),
    ("sent_ticket", "Votre ticket : {ticket}."),
    ("mail", "Presque fini"),
    ("mail_body", "Envoyez-le par e-mail avec le bouton ci-dessous : il contient déjà le détail, vous n'aurez pas à tout réexpliquer."),
    ("send_mail", "Envoyer par e-mail"),
    ("queued", "Enregistré — envoi dès que possible"),
    ("queued_body", "Nous n'avons pas pu joindre l'équipe. Votre message est enregistré sur cet appareil et partira tout seul, même si vous rechargez la page ou revenez plus tard."),
    ("not_sent", "Pas encore envoyé"),
    ("not_sent_body", "Citez votre référence si vous contactez le support par e-mail ou par téléphone."),
    ("refused", "Le système de support a refusé le message."),
    ("no_delivery", "Cette application n'a pas encore configuré l'envoi de messages à son équipe."),
    ("not_handed", "Votre message n'a pas pu être transmis."),
    ("reference", "Votre référence :"),
];

/// Arabic.
pub static AR: &[(&str, &str)] = &[
    ("flow", "خطوات موجّهة"),
    ("flow_progress", "الخطوة {n} من {total}"),
    ("flow_hint", "ينتقل Baton تلقائيًا بعد نجاح هذه الخطوة."),
    ("next", "التالي"),
    ("didnt_work", "لم ينجح ذلك"),
    ("stop", "إيقاف"),
    ("flow_done", "اكتملت كل الخطوات."),
    ("back_to_article", "العودة إلى المقالة"),
    ("flow_failed", "نأسف — لم تنجح الخطوة {n}. سجّلنا أين توقفت، ليكمل شخص من هناك."),
    ("flow_escalate", "لم تنجح الخطوات الموجّهة لـ «{title}» عند الخطوة {n}."),
    ("what_wrong", "ما المشكلة؟"),
    ("email", "بريدك الإلكتروني"),
    ("need_words", "أخبرنا ببضع كلمات بما حدث."),
    ("need_email", "أضف بريدًا إلكترونيًا لنتمكن من الرد عليك."),
    ("share", "سنشارك ما يلي حتى لا تضطر إلى الشرح من جديد:"),
    ("share_always", "رسالتك، ومن أنت في هذا التطبيق، والصفحات التي زرتها ({pages})، ومتصفحك."),
    ("share_tried", "ما جرّبته هنا: {n} من عمليات البحث والمقالات."),
    ("share_errors", "الأخطاء التي أظهرتها الصفحة"),
    ("share_errors_detail", " — الأخطاء: {errors}، رسائل وحدة التحكم: {console}"),
    ("share_requests", "الطلبات التي فشلت"),
    ("share_requests_detail", " — {n}"),
    ("share_activity", "ما نقرت عليه ونص الصفحة"),
    ("share_activity_detail", " — الخطوات: {n}؛ وليس ما كتبته في التطبيق أبدًا"),
    ("send", "إرسال"),
    ("sending", "جارٍ الإرسال…"),
    ("one_moment", "لحظة من فضلك."),
    ("sent", "أُرسلت إلى الفريق"),
    ("sent_body", "لديهم بالفعل تفاصيل ما حدث، فلن تحتاج إلى تكرارها."),
    ("sent_ticket", "تذكرتك: {ticket}."),
    ("mail", "اقتربنا"),
    ("mail_body", "أرسلها بالبريد الإلكتروني بالزر أدناه: فهي تتضمن التفاصيل، فلن تحتاج إلى الشرح من جديد."),
    ("send_mail", "إرسال بالبريد الإلكتروني"),
    ("queued", "حُفظت — ستُرسل في أقرب وقت"),
    ("queued_body", "تعذّر الوصول إلى الفريق الآن. رسالتك محفوظة على هذا الجهاز وستُرسل تلقائيًا، حتى لو أعدت تحميل الصفحة أو عدت لاحقًا."),
    ("not_sent", "لم تُرسل بعد"),
    ("not_sent_body", "اذكر رقمك المرجعي عند التواصل مع الدعم بالبريد الإلكتروني أو الهاتف."),
    ("refused", "رفض نظام الدعم الرسالة."),
    ("no_delivery", "لم يُعدّ هذا التطبيق إرسال الرسائل إلى فريقه بعد."),
    ("not_handed", "تعذّر تسليم رسالتك."),
    ("reference", "رقمك المرجعي:"),
];

/// Each language's table, by code (as `super::LANGS`).
static TABLES: &[(&str, &[(&str, &str)])] = &[("en", EN), ("fr", FR), ("ar", AR)];

thread_local! {
    static REGISTERED: Cell<Option<&'static [(&'static str, &'static [(&'static str, &'static str)])]>> = const { Cell::new(None) };
}

/// Makes these strings available to [`find`] (called by each lazily loaded screen that shows
/// them; once is enough, more is harmless).
pub fn register() {
    REGISTERED.with(|r| r.set(Some(TABLES)));
}

/// The text for `key` in language `code`, else English; `None` before [`register`], or for a
/// key that is not here.
pub fn find(code: &str, key: &str) -> Option<&'static str> {
    let tables = REGISTERED.with(|r| r.get())?;
    let in_lang = |code: &str| {
        let table = tables.iter().find(|(c, _)| *c == code).map(|(_, t)| *t)?;
        table.iter().find(|(k, _)| *k == key).map(|(_, v)| *v)
    };
    in_lang(code).or_else(|| in_lang("en"))
}
