/**
 * Publishes Contact changes to the Switchboard telephony directory; all logic is in SwitchboardChangeHandler.
 */
trigger SwitchboardContactTrigger on Contact(
  after insert,
  after update,
  after delete,
  after undelete
) {
  new SwitchboardChangeHandler(Contact.SObjectType).run();
}
