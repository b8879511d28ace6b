# Turkish and French words on purpose (the dotless i of Turkish):
# ruff: noqa: RUF001, RUF002
import random
import unicodedata
from datetime import datetime, time, timedelta

from odoo import api, fields, models

from ..const import APPOINTMENT_BEFORE_SERVICE_STATES

# Names of the demo services and their descriptions in Turkish and French (the demo
# installs both languages, so /tr/book and /fr/book read as a local salon's).
DEMO_TRANSLATIONS = {
    "Women's haircut": ("Kadın saç kesimi", "Coupe femme"),
    "Men's haircut": ("Erkek saç kesimi", "Coupe homme"),
    "Blow-dry": ("Fön", "Brushing"),
    "Kids' haircut": ("Çocuk saç kesimi", "Coupe enfant"),
    "Full colour": ("Tüm saç boya", "Coloration complète"),
    "Highlights": ("Röfle", "Mèches"),
    "Root touch-up": ("Dip boya", "Retouche racines"),
    "Classic facial": ("Klasik cilt bakımı", "Soin du visage classique"),
    "Manicure": ("Manikür", "Manucure"),
    "Eyebrow shaping": ("Kaş tasarımı", "Restructuration des sourcils"),
    "Relaxing massage": ("Rahatlatıcı masaj", "Massage relaxant"),
    "Yoga class": ("Yoga dersi", "Cours de yoga"),
    "Cut + colour package": ("Kesim + boya paketi", "Forfait coupe + couleur"),
    "Wash, cut and styling.": ("Yıkama, kesim ve şekillendirme.", "Shampooing, coupe et coiffage."),
    "Hatha yoga for all levels, up to 8 people. Mats provided.": (
        "Her seviyeye hatha yoga, en fazla 8 kişi. Mat verilir.",
        "Hatha yoga tous niveaux, jusqu'à 8 personnes. Tapis fournis.",
    ),
    "Single-process colour from roots to ends. A patch test is required 48 hours before a first colour.": (
        "Dipten uca tek seansta boya. İlk boyadan 48 saat önce alerji testi gerekir.",
        "Coloration des racines aux pointes en une fois. Un test d'allergie est nécessaire "
        "48 heures avant une première coloration.",
    ),
    "Women's haircut + Full colour at a package price.": (
        "Kadın saç kesimi + tüm saç boya, paket fiyatına.",
        "Coupe femme + coloration complète à prix forfaitaire.",
    ),
}

# The demo service categories' labels (product.category.randevu_label) in Turkish and French.
DEMO_CATEGORY_TRANSLATIONS = {
    "Hair": ("Saç", "Coiffure"),
    "Colour": ("Boya", "Coloration"),
    "Beauty": ("Güzellik", "Beauté"),
    "Wellness": ("Sağlıklı yaşam", "Bien-être"),
}

# The clientele of each branch beyond the named demo customers: (first names, last names,
# phone prefix, number of customers).
DEMO_CLIENTELE = {
    "tr": (
        "Ayla Başak Berk Bora Cem Cansu Damla Defne Derya Ebru Esra Gizem Gökhan Hande İpek "
        "Kerem Leyla Melis Nazlı Nil Oğuz Onur Özge Pelin Pınar Seda Serkan Sinem Tuba Tolga Umut Yasemin".split(),
        "Acar Akın Bulut Doğan Erdem Güneş Işık Karaca Keskin Kılıç Korkmaz Özdemir Polat Sarı Tekin "
        "Tunç Uçar Yavuz".split(),
        "+90554",
        70,
    ),
    "fr": (
        "Alice Anaïs Antoine Arthur Charlotte Claire Clément Élise Emma Gabriel Jeanne Juliette Louise Lucas "
        "Margaux Marie Mathilde Maxime Nathalie Nicolas Pauline Raphaël Sarah Théo Valentine Victor Zoé".split(),
        "Blanc Bonnet Chevalier Fournier Gauthier Garnier Lambert Leroy Mercier Morel Perrin Petit "
        "Renaud Robin Rousseau Simon Vincent".split(),
        "+33780",
        70,
    ),
}

# Customers with a story (xml ids of randevu_calendar), per branch: the service and staff
# member they book, the day offsets of their visits from today and how each ended.
# A regular every 5 weeks, a new client, and one who did not come twice.
DEMO_STORIES = {
    "randevu_branch_kadikoy": [
        (
            "randevu_customer_zeynep",
            "randevu_service_haircut_kadikoy",
            "randevu_staff_ayse",
            11,
            [(-175, "done"), (-140, "done"), (-105, "done"), (-70, "done"), (-35, "done"), (1, "confirmed")],
        ),
        ("randevu_customer_deniz", "randevu_service_manicure_kadikoy", "randevu_staff_elif", 15, [(2, "booked")]),
        (
            "randevu_customer_burak",
            "randevu_service_mens_haircut_kadikoy",
            "randevu_staff_mehmet",
            17,
            [(-63, "no_show"), (-42, "done"), (-12, "no_show"), (3, "booked")],
        ),
    ],
    "randevu_branch_paris": [
        (
            "randevu_customer_chloe",
            "randevu_service_haircut",
            "randevu_staff_camille",
            10,
            [(-175, "done"), (-140, "done"), (-105, "done"), (-70, "done"), (-35, "done"), (1, "confirmed")],
        ),
        ("randevu_customer_hugo", "randevu_service_mens_haircut", "randevu_staff_julien", 16, [(2, "booked")]),
        (
            "randevu_customer_thomas",
            "randevu_service_mens_haircut",
            "randevu_staff_julien",
            18,
            [(-56, "no_show"), (-35, "done"), (-9, "no_show"), (4, "booked")],
        ),
    ],
}


def _ascii(word):
    """`word` in lower-case ASCII letters, for a demo email address (Işık: isik)."""
    word = word.lower().replace("ı", "i")
    return unicodedata.normalize("NFKD", word).encode("ascii", "ignore").decode()


class ResCompany(models.Model):
    """Demo data of the salon (called from demo/randevu_calendar_demo.xml)."""

    # One model, one file per concern: the demo loader apart from the branch's rules.
    _inherit = "res.company"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _randevu_demo_install_languages(self, codes):
        """Demo data: activate the languages `codes` and load their translations of the
        modules installed so far; the modules installed after this load theirs
        themselves (Odoo loads a module's terms for every active language)."""
        for code in codes:
            self.env["res.lang"]._activate_lang(code)
        self.env["ir.module.module"].search([("state", "=", "installed")])._update_translations(codes)

    @api.model
    def _randevu_demo_rates(self, rates):
        """Demo data: each branch's exchange rate of the other's currency, dated yesterday
        (`rates`: [(branch xml id, currency xml id, rate per unit of the branch's currency)]).
        A function rather than records: the demo file is noupdate, so it runs when the demo
        is created, never when an older demo database (whose branches are branches of the
        main company, which share its rates) is upgraded."""
        yesterday = fields.Date.context_today(self) - timedelta(days=1)
        self.env["res.currency.rate"].create(
            [
                {
                    "company_id": self.env.ref(branch).id,
                    "currency_id": self.env.ref(currency).id,
                    "name": yesterday,
                    "rate": rate,
                }
                for branch, currency, rate in rates
            ]
        )

    @api.model
    def _randevu_demo_translate_services(self):
        """Demo data: the Turkish and French names and descriptions of the demo services."""
        active = {code for code, _name in self.env["res.lang"].get_installed()}
        langs = [code for code in ("tr_TR", "fr_FR") if code in active]
        if not langs:
            return
        services = self.env["product.template"].search(
            ["|", ("is_appointment_service", "=", True), ("is_randevu_package", "=", True)]
        )
        for service in services:
            for fname in ("name", "description_sale"):
                source = service.with_context(lang="en_US")[fname]
                if source in DEMO_TRANSLATIONS:
                    words = dict(zip(("tr_TR", "fr_FR"), DEMO_TRANSLATIONS[source], strict=True))
                    service.update_field_translations(fname, {lang: words[lang] for lang in langs})

    @api.model
    def _randevu_demo_translate_categories(self):
        """Demo data: the Turkish and French labels of the demo service categories."""
        active = {code for code, _name in self.env["res.lang"].get_installed()}
        langs = [code for code in ("tr_TR", "fr_FR") if code in active]
        if not langs:
            return
        categories = (
            self.env["product.category"]
            .with_context(lang="en_US")
            .search([("randevu_label", "in", list(DEMO_CATEGORY_TRANSLATIONS))])
        )
        for category in categories:
            words = dict(zip(("tr_TR", "fr_FR"), DEMO_CATEGORY_TRANSLATIONS[category.randevu_label], strict=True))
            category.update_field_translations("randevu_label", {lang: words[lang] for lang in langs})

    def _randevu_demo_clientele(self, rng):
        """{branch: res.partner}: the customers of each branch of `self`, the named demo
        customers of its country and a generated clientele (created here)."""
        Partner = self.env["res.partner"]
        named_ids = (
            self.env["ir.model.data"]
            .search(
                [
                    ("module", "=", "randevu_calendar"),
                    ("model", "=", "res.partner"),
                    ("name", "=like", "randevu_customer_%"),
                ]
            )
            .mapped("res_id")
        )
        named = Partner.browse(sorted(named_ids))
        result = {}
        for branch in self:
            key = "tr" if branch.country_id.code == "TR" else "fr"
            firsts, lasts, prefix, count = DEMO_CLIENTELE[key]
            digits = 7 if key == "tr" else 6  # national numbers: 10 digits in Turkey, 9 in France
            names = sorted({f"{first} {last}" for first in firsts for last in lasts})
            values = []
            for name in rng.sample(names, count):
                first, last = name.split(" ", 1)
                values.append(
                    {
                        "name": name,
                        "phone": f"{prefix}{rng.randint(10 ** (digits - 1), 10**digits - 1)}",
                        "email": f"{_ascii(first)}.{_ascii(last)}@example.com",
                        "city": branch.city,
                        "country_id": branch.country_id.id,
                        "lang": "tr_TR" if key == "tr" else "fr_FR",
                    }
                )
            clientele = Partner.create(values)
            result[branch] = named.filtered(lambda partner, branch=branch: partner.country_id == branch.country_id)
            result[branch] |= clientele
        return result

    def _randevu_demo_generate_appointments(self):
        """Demo data: the agenda of each branch of `self`, booked through the availability
        engine (so no appointment breaks working hours, leave or closures, or overlaps
        another), with a fixed seed (the same agenda on every install).

        First the customers with a story (DEMO_STORIES: a regular every 5 weeks for half
        a year, a new client, one with two no-shows), then a fortnight around today
        (7 days back, 7 ahead) filled with the branch's clientele: the current week busy,
        a customer at most once a day and three times in the fortnight, so nobody is in
        two chairs at once. Appointments already over become done (a few no-shows and
        cancellations), those under way in progress, and some upcoming ones confirmed.
        """
        rng = random.Random(42)
        Availability = self.env["randevu.availability"]
        Appointment = self.env["randevu.appointment"]
        now = fields.Datetime.now()
        clientele = self._randevu_demo_clientele(rng)
        # Group classes (capacity > 1) hold several customers per slot: not generated here.
        services = self.env["product.template"].search(
            [("is_appointment_service", "=", True), ("randevu_capacity", "=", 1)], order="id"
        )
        sources = ["backend"] * 4 + ["phone"] * 3 + ["website"] * 3 + ["whatsapp"] * 2 + ["instagram"]
        scripted = {}  # appointment: its state
        storied = self.env["res.partner"]
        appointments = Appointment

        def day_slots(branch, service, day, employee):
            day_start, day_end = branch._randevu_day_bounds(day)
            # The engine's "now": the day before, so that past days can be filled and both
            # the minimum notice and the booking horizon cover the whole day.
            booking_now = day_start - timedelta(days=1)
            return Availability.find_slots(service, branch, day_start, day_end, staff=employee, now=booking_now)

        def book(branch, service, slot, employee, partner, source):
            booking_now = branch._randevu_day_bounds(branch._randevu_local_day(slot["start"]))[0] - timedelta(days=1)
            return Availability.book(
                service,
                branch,
                slot["start"],
                staff=employee,
                partner=partner,
                now=booking_now,
                values={"source": source},
            )

        for branch in self:
            today = branch._randevu_local_day(now)
            # 1. The stories: each visit on the planned day or the next open one, near the usual hour.
            for partner_ref, service_ref, staff_ref, hour, visits in DEMO_STORIES.get(
                branch.get_external_id()[branch.id].split(".")[-1], []
            ):
                partner = self.env.ref(f"randevu_calendar.{partner_ref}")
                service = self.env.ref(f"randevu_calendar.{service_ref}")
                employee = self.env.ref(f"randevu_calendar.{staff_ref}")
                storied |= partner
                for offset, state in visits:
                    for shift in range(7):
                        day = today + timedelta(days=offset + shift)
                        slots = day_slots(branch, service, day, employee)
                        if offset > 0:
                            # Upcoming: after the minimum notice from now.
                            slots = [slot for slot in slots if slot["start"] > now + timedelta(hours=3)]
                        if slots:
                            usual = branch._randevu_clock().to_utc(datetime.combine(day, time(hour)))
                            slot = min(slots, key=lambda slot, usual=usual: abs(slot["start"] - usual))
                            source = "website" if len(visits) == 1 else "phone"  # a new client books online
                            appointment = book(branch, service, slot, employee, partner, source)
                            scripted[appointment] = state
                            break
            # 2. The fortnight around today.
            pool = list(clientele[branch] - storied)
            visits_of = dict.fromkeys(pool, 0)
            branch_services = services.filtered(lambda service, branch=branch: service.company_id in (branch, False))
            employees = self.env["hr.employee"].search(
                [("company_id", "=", branch.id), ("randevu_bookable", "=", True)], order="id"
            )
            services_by_staff = {
                employee: [
                    service
                    for service in branch_services
                    if not service.randevu_staff_line_ids or service._randevu_staff_line(employee)
                ]
                for employee in employees
            }
            week_start = today - timedelta(days=today.weekday())
            for offset in range(-7, 8):
                day = today + timedelta(days=offset)
                busy_week = week_start <= day < week_start + timedelta(days=7)
                seen_today = set()
                for employee in employees:
                    if not services_by_staff[employee]:
                        continue
                    target = rng.randint(5, 6) if busy_week else rng.randint(3, 5)
                    booked = 0
                    for _attempt in range(3 * target):
                        if booked >= target:
                            break
                        service = rng.choice(services_by_staff[employee])
                        slots = day_slots(branch, service, day, employee)
                        if not slots:  # day off, or no room left in the day for this service
                            continue
                        slot = rng.choice(slots)
                        walk_in = offset <= 0 and rng.random() < 0.08
                        free = [partner for partner in pool if partner not in seen_today and visits_of[partner] < 3]
                        if not walk_in and not free:
                            break
                        partner = None if walk_in else rng.choice(free)
                        if partner:
                            seen_today.add(partner)
                            visits_of[partner] += 1
                        appointments |= book(
                            branch, service, slot, employee, partner, "walk_in" if walk_in else rng.choice(sources)
                        )
                        booked += 1

        cancel_reasons = ["Customer is ill", "Rescheduled by phone", "Travelling", "Childcare problem"]
        by_state = dict.fromkeys(("done", "no_show", "in_progress", "arrived", "confirmed"), Appointment)
        cancelled = []
        no_show_once = set()
        for appointment in appointments:
            roll = rng.random()
            partner = appointment.partner_id
            if appointment.stop <= now:
                if partner and roll < 0.04 and partner not in no_show_once:
                    no_show_once.add(partner)
                    by_state["no_show"] |= appointment
                elif partner and roll < 0.1:
                    cancelled.append((appointment, rng.choice(cancel_reasons)))
                else:
                    by_state["done"] |= appointment
            elif appointment.start <= now:
                by_state["in_progress"] |= appointment
            elif appointment.start <= now + timedelta(minutes=30):
                by_state["arrived"] |= appointment
            elif roll < 0.04:
                cancelled.append((appointment, rng.choice(cancel_reasons)))
            elif roll < 0.6:
                by_state["confirmed"] |= appointment
        for appointment, state in scripted.items():
            if state != "booked":
                by_state[state] |= appointment
            appointments |= appointment
        for state, records in by_state.items():
            records.write({"state": state})
        for appointment, reason in cancelled:
            appointment.write({"state": "cancelled", "cancel_reason": reason})
        by_state["done"].write({"payment_state": "paid"})
        upcoming = appointments.filtered(lambda appt: appt.state in APPOINTMENT_BEFORE_SERVICE_STATES)
        deposits = upcoming.filtered(lambda appt: appt.service_id.randevu_deposit_type != "none")
        deposits.write({"payment_state": "deposit"})
