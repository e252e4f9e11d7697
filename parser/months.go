package parser

import "time"

// moreMonthNames extends monthNames with the month names of other
// languages, as bylines write them (lower-case; Slavic, Greek and Finnish
// in the genitive a date takes, "12 марта 2019", and the nominative):
// Italian, Portuguese, Catalan, Dutch, Romanian, Polish, Czech, Russian,
// Ukrainian, Turkish, Swedish, Danish and Norwegian, Finnish, Indonesian
// and Greek, and the abbreviations French, Spanish and Italian pages use.
// They serve date parsing only; the dateline labels of labels.go keep to
// monthNames. A name that means another month elsewhere (Croatian
// "listopad" is October) is left out.
var moreMonthNames = map[string]time.Month{
	// Italian
	"gennaio": 1, "febbraio": 2, "aprile": 4, "maggio": 5, "giugno": 6, "luglio": 7,
	"settembre": 9, "ottobre": 10, "dicembre": 12,
	"gen": 1, "mag": 5, "giu": 6, "lug": 7, "ago": 8, "set": 9, "ott": 10, "dic": 12,
	// Portuguese
	"janeiro": 1, "fevereiro": 2, "março": 3, "marco": 3, "maio": 5, "junho": 6, "julho": 7,
	"setembro": 9, "outubro": 10, "dezembro": 12,
	"fev": 2, "abr": 4, "out": 10, "dez": 12,
	// Catalan
	"gener": 1, "febrer": 2, "març": 3, "maig": 5, "juny": 6, "juliol": 7, "agost": 8,
	"setembre": 9, "desembre": 12,
	// French and Spanish abbreviations
	"janv": 1, "févr": 2, "fevr": 2, "avr": 4, "juil": 7, "déc": 12, "ene": 1,
	// Dutch
	"januari": 1, "februari": 2, "maart": 3, "mei": 5, "augustus": 8,
	"okt": 10, "mrt": 3,
	// Romanian
	"ianuarie": 1, "februarie": 2, "martie": 3, "aprilie": 4, "iunie": 6, "iulie": 7,
	"septembrie": 9, "octombrie": 10, "noiembrie": 11, "decembrie": 12,
	// Polish, genitive then nominative
	"stycznia": 1, "lutego": 2, "marca": 3, "kwietnia": 4, "maja": 5, "czerwca": 6, "lipca": 7,
	"sierpnia": 8, "września": 9, "października": 10, "listopada": 11, "grudnia": 12,
	"styczeń": 1, "luty": 2, "marzec": 3, "kwiecień": 4, "maj": 5, "czerwiec": 6, "lipiec": 7,
	"sierpień": 8, "wrzesień": 9, "październik": 10, "grudzień": 12,
	// Czech, genitive
	"ledna": 1, "února": 2, "března": 3, "dubna": 4, "května": 5, "června": 6, "července": 7,
	"srpna": 8, "září": 9, "října": 10, "listopadu": 11, "prosince": 12,
	// Russian, genitive then nominative
	"января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6, "июля": 7,
	"августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
	"январь": 1, "февраль": 2, "март": 3, "апрель": 4, "май": 5, "июнь": 6, "июль": 7,
	"август": 8, "сентябрь": 9, "октябрь": 10, "ноябрь": 11, "декабрь": 12,
	// Ukrainian, genitive
	"січня": 1, "лютого": 2, "березня": 3, "квітня": 4, "травня": 5, "червня": 6, "липня": 7,
	"серпня": 8, "вересня": 9, "жовтня": 10, "листопада": 11, "грудня": 12,
	// Turkish
	"ocak": 1, "şubat": 2, "mart": 3, "nisan": 4, "mayıs": 5, "haziran": 6, "temmuz": 7,
	"ağustos": 8, "eylül": 9, "ekim": 10, "kasım": 11, "aralık": 12,
	// Swedish, Danish, Norwegian
	"augusti": 8, "marts": 3, "desember": 12,
	// Finnish, partitive as dates write it ("12. maaliskuuta 2019")
	"tammikuuta": 1, "helmikuuta": 2, "maaliskuuta": 3, "huhtikuuta": 4, "toukokuuta": 5,
	"kesäkuuta": 6, "heinäkuuta": 7, "elokuuta": 8, "syyskuuta": 9, "lokakuuta": 10,
	"marraskuuta": 11, "joulukuuta": 12,
	// Indonesian and Malay
	"maret": 3, "agustus": 8,
	// Greek, genitive
	"ιανουαρίου": 1, "φεβρουαρίου": 2, "μαρτίου": 3, "απριλίου": 4, "μαΐου": 5, "ιουνίου": 6,
	"ιουλίου": 7, "αυγούστου": 8, "σεπτεμβρίου": 9, "οκτωβρίου": 10, "νοεμβρίου": 11, "δεκεμβρίου": 12,
}

// monthOf returns the month a month name found in a date stands for.
func monthOf(name string) time.Month {
	if m, ok := monthNames[name]; ok {
		return m
	}
	return moreMonthNames[name]
}
