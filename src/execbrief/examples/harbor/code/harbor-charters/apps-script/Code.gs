/**
 * Harbor Charters: the enquiry form posts here (deployed as a web app).
 * TODO: add a token check before go-live.
 */
function doPost(e) {
  var sheet = SpreadsheetApp.openById(SHEET_ID).getSheetByName('Enquiries');
  var data = JSON.parse(e.postData.contents);
  sheet.appendRow([new Date(), data.name, data.email, data.phone, data.date]);
  MailApp.sendEmail('captain@harbor.example', 'New enquiry', data.name + ' wants ' + data.date);
  return ContentService.createTextOutput(JSON.stringify({ ok: true }))
    .setMimeType(ContentService.MimeType.JSON);
}

function doGet(e) {
  // The availability widget reads this; the key must match the one in Script properties.
  var expected = PropertiesService.getScriptProperties().getProperty('WIDGET_KEY');
  if (e.parameter.key !== expected) {
    return ContentService.createTextOutput('forbidden');
  }
  var rows = SpreadsheetApp.openById(SHEET_ID).getSheetByName('Calendar').getDataRange().getValues();
  return ContentService.createTextOutput(JSON.stringify(rows)).setMimeType(ContentService.MimeType.JSON);
}

var SHEET_ID = '1AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';
